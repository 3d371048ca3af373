import { createHash } from 'node:crypto'
import { MAX_DELTAS_PER_REPLY } from './constants.ts'

/**
 * Pure functions that define everything the fake "generates", so a test can compute what a client must receive
 * without asking the fake.
 */

const BYTES_PER_INPUT_TOKEN = 4
const LARGE_TEXT_UNIT = 'lorem ipsum dolor sit amet '
const EMBEDDING_DECIMALS = 1e6

/** The reply's "tokens": each word with the whitespace before it. Joined, they give back the text exactly. */
export function replyTokens (text: string): string[] {
  const tokens = text.match(/\s*\S+\s*$|\s*\S+/g) ?? []
  return tokens.length === 0 && text !== '' ? [text] : tokens
}

/** The text deltas a stream carries: one per token, merged evenly so there are at most MAX_DELTAS_PER_REPLY. */
export function replyDeltas (text: string): string[] {
  const tokens = replyTokens(text)
  const perDelta = Math.ceil(tokens.length / MAX_DELTAS_PER_REPLY)
  if (perDelta <= 1) return tokens
  const deltas: string[] = []
  for (let i = 0; i < tokens.length; i += perDelta) deltas.push(tokens.slice(i, i + perDelta).join(''))
  return deltas
}

export function countOutputTokens (text: string): number {
  return replyTokens(text).length
}

/** Input tokens of a model request: one per four bytes of what was sent, at least one. */
export function countInputTokens (body: Uint8Array): number {
  return Math.max(1, Math.ceil(body.byteLength / BYTES_PER_INPUT_TOKEN))
}

/** The reply text of a `largeBody` fault: exactly `length` characters, all ASCII, many words. */
export function largeReplyText (length: number): string {
  return LARGE_TEXT_UNIT.repeat(Math.ceil(length / LARGE_TEXT_UNIT.length)).slice(0, length)
}

/** A deterministic embedding of `text`: the same text always gives the same vector, values in [-1, 1]. */
export function fakeEmbedding (text: string, dimensions: number): number[] {
  const values: number[] = []
  for (let block = 0; values.length < dimensions; block++) {
    const digest = createHash('sha256').update(`${block}:${text}`, 'utf8').digest()
    for (let i = 0; i + 1 < digest.length && values.length < dimensions; i += 2) {
      const unit = digest.readUInt16BE(i) / 0xffff
      values.push(Math.round((unit * 2 - 1) * EMBEDDING_DECIMALS) / EMBEDDING_DECIMALS)
    }
  }
  return values
}
