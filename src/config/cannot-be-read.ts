/** Fallback for a read error without an errno code, so the message still says why nothing was read. */
const UNKNOWN_READ_ERROR = 'unreadable'

/** The problem text for a file whose read failed, e.g. `cannot be read (ENOENT)`: the errno code tells why. */
export function cannotBeRead (error: unknown): string {
  return `cannot be read (${(error as NodeJS.ErrnoException).code ?? UNKNOWN_READ_ERROR})`
}
