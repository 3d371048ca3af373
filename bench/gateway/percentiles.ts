export interface Percentiles {
  readonly count: number
  readonly p50: number
  readonly p99: number
  readonly p999: number
  readonly max: number
}

const DECIMALS = 1000

function round (value: number): number {
  return Math.round(value * DECIMALS) / DECIMALS
}

/** Nearest-rank percentiles (no interpolation), rounded to 3 decimals. */
export function percentiles (values: readonly number[]): Percentiles {
  if (values.length === 0) return { count: 0, p50: NaN, p99: NaN, p999: NaN, max: NaN }
  const sorted = Float64Array.from(values).sort()
  const at = (fraction: number): number => round(sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? NaN)
  return { count: sorted.length, p50: at(0.5), p99: at(0.99), p999: at(0.999), max: round(sorted[sorted.length - 1] ?? NaN) }
}

/** Gateway minus direct, per percentile. */
export function added (gateway: Percentiles, direct: Percentiles): Omit<Percentiles, 'count'> {
  return {
    p50: round(gateway.p50 - direct.p50),
    p99: round(gateway.p99 - direct.p99),
    p999: round(gateway.p999 - direct.p999),
    max: round(gateway.max - direct.max)
  }
}

/** The middle value (the upper one of an even count); NaN for none. */
export function median (values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? NaN
}

/** Lowest and highest of a set of figures. */
export type Range = readonly [min: number, max: number]

/** The lowest and highest value; NaN for none. */
export function range (values: readonly number[]): Range {
  const finite = values.filter((value) => !Number.isNaN(value))
  return finite.length === 0 ? [NaN, NaN] : [Math.min(...finite), Math.max(...finite)]
}
