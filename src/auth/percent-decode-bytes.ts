const ESCAPE = /%([0-9A-Fa-f]{2})/g

/**
 * Turns every `%XX` escape into the byte it names and leaves everything else as it is, including a `%` that starts
 * no valid escape. The result is a byte string (one char per byte) that uriEncode() re-encodes canonically.
 */
export function percentDecodeBytes (text: string): string {
  if (!text.includes('%')) return text
  return text.replace(ESCAPE, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
}
