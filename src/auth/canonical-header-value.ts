/** HTTP's optional whitespace: Node has already refused every other control character in a header value. */
const WHITESPACE_RUN = /[ \t]+/g
/** Anything trimall would change: outer whitespace, a tab, or two whitespace characters in a row. */
const NEEDS_TRIMMING = /^[ \t]|[ \t]$|\t|[ \t]{2}/
const SPACE = ' '

/**
 * SigV4's "trimall": leading and trailing whitespace removed, inner runs collapsed to one space. Only space and tab
 * count, because values are byte strings and 0xA0 may be the second byte of a UTF-8 character.
 */
export function canonicalHeaderValue (value: string): string {
  if (!NEEDS_TRIMMING.test(value)) return value
  const collapsed = value.replace(WHITESPACE_RUN, SPACE)
  const start = collapsed.startsWith(SPACE) ? 1 : 0
  const end = collapsed.length > start && collapsed.endsWith(SPACE) ? collapsed.length - 1 : collapsed.length
  return collapsed.slice(start, end)
}
