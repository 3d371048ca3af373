/** Bedrock-style list pagination: `maxResults` caps a page, an opaque `nextToken` resumes where the last page ended. */

export type PageResult<T> =
  | { readonly ok: true; readonly items: readonly T[]; readonly nextToken?: string }
  | { readonly ok: false; readonly message: string }

const TOKEN_PREFIX = 'fake-offset:'

export function paginate<T> (items: readonly T[], maxResults: string | null, nextToken: string | null, defaultPageSize: number): PageResult<T> {
  const pageSize = maxResults === null ? defaultPageSize : Number(maxResults)
  if (!Number.isInteger(pageSize) || pageSize < 1) return { ok: false, message: `Invalid maxResults: ${String(maxResults)}` }
  let offset = 0
  if (nextToken !== null) {
    const decoded = Buffer.from(nextToken, 'base64url').toString('utf8')
    offset = decoded.startsWith(TOKEN_PREFIX) ? Number(decoded.slice(TOKEN_PREFIX.length)) : Number.NaN
    if (!Number.isInteger(offset) || offset < 0 || offset > items.length) return { ok: false, message: 'Invalid nextToken.' }
  }
  const end = offset + pageSize
  return {
    ok: true,
    items: items.slice(offset, end),
    ...(end < items.length ? { nextToken: Buffer.from(`${TOKEN_PREFIX}${end}`, 'utf8').toString('base64url') } : {})
  }
}
