/** The part of autocannon 9's programmatic API the bench uses (the package ships no types). */
declare module 'autocannon' {
  export interface Options {
    url: string
    method?: string
    headers?: Record<string, string>
    body?: string | Buffer
    connections?: number
    duration?: number
    /** Stop after this many requests (instead of after `duration`). */
    amount?: number
  }
  interface Histogram {
    average: number
    p50: number
    p99: number
    max: number
  }
  export interface Result {
    errors: number
    timeouts: number
    non2xx: number
    '2xx': number
    latency: Histogram
  }
  export default function autocannon (options: Options): Promise<Result>
}
