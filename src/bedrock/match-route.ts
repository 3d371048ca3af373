import { OPERATION_NAMES, type OperationName } from './operation-names.ts'
import { OPERATIONS } from './operations.ts'
import { URL_PATH_SEPARATOR } from '../core/index.ts'

/** Label name and raw (still percent-encoded) value; a list, not a Map, as routes have one or two labels. */
export type RawLabel = readonly [name: string, raw: string]

export type RouteMatch =
  | { readonly kind: 'matched'; readonly operation: OperationName; readonly rawLabels: readonly RawLabel[] }
  /** Method and the fixed segments fit, but the first label spans several segments: a raw `/` inside an identifier. */
  | { readonly kind: 'slash-in-label'; readonly operation: OperationName; readonly label: string }
  | { readonly kind: 'none' }

type TemplateSegment = { readonly kind: 'literal'; readonly text: string } | { readonly kind: 'label'; readonly name: string }

interface CompiledRoute {
  readonly operation: OperationName
  readonly method: string
  /** Segments before the first label. */
  readonly head: readonly string[]
  /** The first label, which would swallow any raw `/` in the identifier it carries. */
  readonly firstLabel?: string
  /** Segments after the first label; labels here are exactly one segment. */
  readonly tail: readonly TemplateSegment[]
  /** How many labels the route has, the first one included. */
  readonly labelCount: number
}

const LABEL = /^\{(\w+)\}$/

const ROUTES: readonly CompiledRoute[] = OPERATION_NAMES.flatMap((operation) => {
  const { method, pathTemplate, alsoAt } = OPERATIONS[operation]
  return [pathTemplate, ...alsoAt].map((template) => compile(operation, method, template))
})
const NO_MATCH: RouteMatch = { kind: 'none' }
const NO_LABELS: readonly RawLabel[] = []

/**
 * Finds the operation for a method and the path's raw segments (already split on `/`, still percent-encoded).
 * Matching fixes the head and tail segments first, so an identifier with a raw `/` is recognised as such instead of
 * being read as a different operation.
 */
export function matchRoute (method: string, segments: readonly string[]): RouteMatch {
  let slashInLabel: RouteMatch | undefined
  for (const route of ROUTES) {
    if (route.method !== method) continue
    const match = matchOne(route, segments)
    if (match.kind === 'matched') return match
    if (match.kind === 'slash-in-label') slashInLabel ??= match
  }
  return slashInLabel ?? NO_MATCH
}

/** Compares literals first and builds the labels only for the route that matches: most routes are tried and fail. */
function matchOne (route: CompiledRoute, segments: readonly string[]): RouteMatch {
  const { operation, head, firstLabel, tail } = route
  if (firstLabel === undefined) {
    const exact = segments.length === head.length && startsWith(segments, head)
    return exact ? { kind: 'matched', operation, rawLabels: NO_LABELS } : NO_MATCH
  }
  if (segments.length <= head.length + tail.length || !startsWith(segments, head)) return NO_MATCH
  const tailStart = segments.length - tail.length
  for (let i = 0; i < tail.length; i++) {
    const part = tail[i]
    if (part?.kind === 'literal' && segments[tailStart + i] !== part.text) return NO_MATCH
  }
  if (tailStart - head.length > 1) return { kind: 'slash-in-label', operation, label: firstLabel }
  // Sized up front: an array grown by push reserves room for 16 labels.
  const rawLabels = new Array<RawLabel>(route.labelCount)
  let labelAt = 0
  for (let i = 0; i < tail.length; i++) {
    const part = tail[i]
    if (part?.kind === 'label') rawLabels[labelAt++] = [part.name, segments[tailStart + i] ?? '']
  }
  rawLabels[labelAt] = [firstLabel, segments[head.length] ?? '']
  return { kind: 'matched', operation, rawLabels }
}

function startsWith (segments: readonly string[], literals: readonly string[]): boolean {
  for (let i = 0; i < literals.length; i++) if (segments[i] !== literals[i]) return false
  return true
}

function compile (operation: OperationName, method: string, pathTemplate: string): CompiledRoute {
  const parts = pathTemplate.slice(1).split(URL_PATH_SEPARATOR).map(toTemplateSegment)
  const firstLabelAt = parts.findIndex((part) => part.kind === 'label')
  const headEnd = firstLabelAt === -1 ? parts.length : firstLabelAt
  const firstLabel = parts[firstLabelAt]
  return {
    operation,
    method,
    head: parts.slice(0, headEnd).flatMap((part) => part.kind === 'literal' ? [part.text] : []),
    firstLabel: firstLabel?.kind === 'label' ? firstLabel.name : undefined,
    tail: parts.slice(headEnd + 1),
    labelCount: parts.filter((part) => part.kind === 'label').length
  }
}

function toTemplateSegment (segment: string): TemplateSegment {
  const label = LABEL.exec(segment)?.[1]
  return label === undefined ? { kind: 'literal', text: segment } : { kind: 'label', name: label }
}
