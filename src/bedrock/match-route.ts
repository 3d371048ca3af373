import { OPERATION_NAMES, type OperationName } from './operation-names.ts'
import { OPERATIONS } from './operations.ts'

export type RouteMatch =
  | { readonly kind: 'matched'; readonly operation: OperationName; readonly rawLabels: ReadonlyMap<string, string> }
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
}

const LABEL = /^\{(\w+)\}$/
const PATH_SEPARATOR = '/'

const ROUTES: readonly CompiledRoute[] = OPERATION_NAMES.map((operation) => compile(operation))

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
  return slashInLabel ?? { kind: 'none' }
}

function matchOne (route: CompiledRoute, segments: readonly string[]): RouteMatch {
  const fixedCount = route.head.length + route.tail.length
  if (route.firstLabel === undefined) {
    const exact = segments.length === route.head.length && route.head.every((literal, i) => segments[i] === literal)
    return exact ? { kind: 'matched', operation: route.operation, rawLabels: new Map() } : { kind: 'none' }
  }
  if (segments.length <= fixedCount) return { kind: 'none' }
  if (!route.head.every((literal, i) => segments[i] === literal)) return { kind: 'none' }
  const rawLabels = new Map<string, string>()
  const tailStart = segments.length - route.tail.length
  for (const [i, part] of route.tail.entries()) {
    const segment = segments[tailStart + i] ?? ''
    if (part.kind === 'label') rawLabels.set(part.name, segment)
    else if (segment !== part.text) return { kind: 'none' }
  }
  const labelSegments = segments.slice(route.head.length, tailStart)
  if (labelSegments.length > 1) return { kind: 'slash-in-label', operation: route.operation, label: route.firstLabel }
  rawLabels.set(route.firstLabel, labelSegments[0] ?? '')
  return { kind: 'matched', operation: route.operation, rawLabels }
}

function compile (operation: OperationName): CompiledRoute {
  const { method, pathTemplate } = OPERATIONS[operation]
  const parts = pathTemplate.slice(1).split(PATH_SEPARATOR).map(toTemplateSegment)
  const firstLabelAt = parts.findIndex((part) => part.kind === 'label')
  const headEnd = firstLabelAt === -1 ? parts.length : firstLabelAt
  const firstLabel = parts[firstLabelAt]
  return {
    operation,
    method,
    head: parts.slice(0, headEnd).flatMap((part) => part.kind === 'literal' ? [part.text] : []),
    firstLabel: firstLabel?.kind === 'label' ? firstLabel.name : undefined,
    tail: parts.slice(headEnd + 1)
  }
}

function toTemplateSegment (segment: string): TemplateSegment {
  const label = LABEL.exec(segment)?.[1]
  return label === undefined ? { kind: 'literal', text: segment } : { kind: 'label', name: label }
}
