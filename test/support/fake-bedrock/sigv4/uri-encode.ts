const UNRESERVED = /^[A-Za-z0-9\-._~]$/

/**
 * The bytes of a string as they crossed the wire: node hands request lines and header values over as latin1, so
 * code points up to 0xFF are single bytes; anything above can only have come from UTF-8.
 */
export function wireBytes (text: string): Buffer {
  return [...text].every(char => char.charCodeAt(0) <= 0xff) ? Buffer.from(text, 'latin1') : Buffer.from(text, 'utf8')
}

/** SigV4's URI encoding: every byte but RFC 3986's unreserved characters becomes `%XX`, upper-case hex. */
export function uriEncodeBytes (bytes: Uint8Array): string {
  let encoded = ''
  for (const byte of bytes) {
    const char = String.fromCharCode(byte)
    encoded += UNRESERVED.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return encoded
}

export function uriEncode (text: string): string {
  return uriEncodeBytes(wireBytes(text))
}

/** Percent-decoding at the byte level; a `%` not followed by two hex digits stays literal, as AWS treats it. */
export function percentDecodeToBytes (text: string): Buffer {
  const raw = wireBytes(text)
  const decoded: number[] = []
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i] as number
    const hex = raw.subarray(i + 1, i + 3).toString('latin1')
    if (byte === 0x25 && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      decoded.push(Number.parseInt(hex, 16))
      i += 2
    } else {
      decoded.push(byte)
    }
  }
  return Buffer.from(decoded)
}
