const JSON_INDENT = 2

/** Pretty JSON as the CLI prints and writes it: two-space indent, ending in a newline like any text file. */
export function renderJson (value: unknown): string {
  return `${JSON.stringify(value, null, JSON_INDENT)}\n`
}
