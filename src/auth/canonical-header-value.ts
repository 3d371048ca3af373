/** HTTP's optional whitespace: Node has already refused every other control character in a header value. */
const WHITESPACE_RUN = /[ \t]+/g
const SPACE = ' '

/**
 * SigV4's "trimall": leading and trailing whitespace removed, inner runs collapsed to one space. Only space and tab
 * count, because values are byte strings and 0xA0 may be the second byte of a UTF-8 character.
 */
export function canonicalHeaderValue (value: string): string {
  const collapsed = value.replace(WHITESPACE_RUN, SPACE)
  const start = collapsed.startsWith(SPACE) ? 1 : 0
  const end = collapsed.length > start && collapsed.endsWith(SPACE) ? collapsed.length - 1 : collapsed.length
  return start === 0 && end === collapsed.length ? collapsed : collapsed.slice(start, end)
}
