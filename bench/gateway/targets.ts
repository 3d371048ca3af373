/**
 * The performance targets for the gateway, each read against what this run measured, never against a figure from
 * another machine or another day: the bare re-signing pass-through (node:http + undici + SigV4, nothing checked) is
 * the floor, and aws-sigv4-proxy (the AWS Labs Go signing proxy, which checks nothing either) is the peer to beat.
 * Only the memory ceilings and the +2 ms tail are absolute.
 */
export const TARGETS = {
  /** CPU per request at saturation, SigV4 caller verified, audit log on: at most this share of the pass-through's. */
  saturationCpuToBarePassThrough: 0.85,
  /** Added p99 at a paced 1,000 req/s, the median over the rounds. */
  pacedAddedP99Ms: 2,
  /** RSS with 1,000 streams open at once. */
  openStreamsRssMB: 120,
  /** RSS when idle after start-up. */
  idleRssMB: 60
} as const

/** One limit a measured figure is held to, and what it was derived from. */
export interface TargetLimit {
  /** 'absolute', or the path of this run the limit comes from. */
  readonly from: string
  readonly limit: number
  readonly met: boolean
}

export interface TargetCheck {
  readonly name: string
  readonly unit: string
  readonly measured: number
  readonly limits: readonly TargetLimit[]
  /** Every limit met (a limit from an absent peer is not counted). */
  readonly met: boolean
}

const within = (measured: number, limit: number): boolean => Number.isFinite(measured) && measured <= limit
const round = (value: number): number => Math.round(value * 100) / 100

/** Holds `measured` to each limit given; a limit whose source was not measured in this run (NaN) is left out. */
export function check (name: string, unit: string, measured: number, limits: Readonly<Record<string, number>>): TargetCheck {
  const held = Object.entries(limits)
    .filter(([, limit]) => Number.isFinite(limit))
    .map(([from, limit]) => ({ from, limit: round(limit), met: within(measured, limit) }))
  return { name, unit, measured: round(measured), limits: held, met: held.length > 0 && held.every(({ met }) => met) }
}
