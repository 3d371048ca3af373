import { QUERY_SEPARATOR } from './constants.ts'

/** Splits a raw request target at its first `?`; the query keeps its encoding. */
export function splitRequestTarget (rawTarget: string): { readonly path: string; readonly query: string } {
  const at = rawTarget.indexOf(QUERY_SEPARATOR)
  if (at === -1) return { path: rawTarget, query: '' }
  return { path: rawTarget.slice(0, at), query: rawTarget.slice(at + 1) }
}
