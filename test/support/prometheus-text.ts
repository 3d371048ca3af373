/**
 * A strict reader of Prometheus text exposition (format 0.0.4), for asserting what a scrape of `/metrics` shows:
 * what Prometheus would ingest, and nothing it would reject.
 */

export interface Sample {
  readonly name: string
  readonly labels: Readonly<Record<string, string>>
  readonly value: number
}

const METRIC_NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*'
const LABEL_NAME = '[a-zA-Z_][a-zA-Z0-9_]*'
const LABEL_VALUE = '"(?:[^"\\\\\\n]|\\\\[\\\\n"])*"'
// Values are parsed like Go's ParseFloat, which takes Inf and NaN in any case (prom-client writes `Nan`).
const SAMPLE_VALUE = '(?:[+-]?[iI][nN][fF]|[nN][aA][nN]|[+-]?[0-9]*\\.?[0-9]+(?:[eE][+-]?[0-9]+)?)'
const SAMPLE_LINE = new RegExp(`^(${METRIC_NAME})(?:\\{((?:${LABEL_NAME}=${LABEL_VALUE},?)*)\\})? (${SAMPLE_VALUE})(?: -?[0-9]+)?$`)
const LABEL_PAIR = new RegExp(`(${LABEL_NAME})=(${LABEL_VALUE})`, 'g')
const TYPE_LINE = new RegExp(`^# TYPE (${METRIC_NAME}) (counter|gauge|histogram|summary|untyped)$`)
const HELP_LINE = new RegExp(`^# HELP (${METRIC_NAME}) .*$`)
const FAMILY_SUFFIX = /_(bucket|sum|count)$/

function sampleValue (text: string): number {
  const special = text.toLowerCase()
  if (special.endsWith('inf')) return special.startsWith('-') ? -Infinity : Infinity
  return special === 'nan' ? NaN : Number(text)
}

/**
 * Parses Prometheus text exposition (format 0.0.4) strictly: every line must be a HELP, a TYPE or a well-formed
 * sample of a family declared before it, and every histogram's buckets must be cumulative and end in +Inf = _count.
 */
export function parseExposition (text: string): Sample[] {
  const types = new Map<string, string>()
  const samples: Sample[] = []
  const seen = new Set<string>()
  for (const line of text.split('\n')) {
    if (line === '') continue
    const type = TYPE_LINE.exec(line)
    if (type !== null) {
      types.set(type[1] as string, type[2] as string)
      continue
    }
    if (HELP_LINE.test(line)) continue
    const sample = SAMPLE_LINE.exec(line)
    if (sample === null) throw new Error(`not a valid exposition line: ${line}`)
    const name = sample[1] as string
    const family = types.has(name) ? name : name.replace(FAMILY_SUFFIX, '')
    if (!types.has(family)) throw new Error(`sample before its # TYPE line: ${line}`)
    const labels: Record<string, string> = {}
    for (const pair of (sample[2] ?? '').matchAll(LABEL_PAIR)) labels[pair[1] as string] = JSON.parse(pair[2] as string) as string
    const series = `${name}${JSON.stringify(labels)}`
    if (seen.has(series)) throw new Error(`duplicate series: ${line}`)
    seen.add(series)
    samples.push({ name, labels, value: sampleValue(sample[3] as string) })
  }
  checkHistograms(samples, types)
  return samples
}

function checkHistograms (samples: readonly Sample[], types: ReadonlyMap<string, string>): void {
  for (const [family, type] of types) {
    if (type !== 'histogram') continue
    const series = new Map<string, Sample[]>()
    for (const sample of samples.filter((s) => s.name === `${family}_bucket`)) {
      const { le, ...rest } = sample.labels
      if (le === undefined) throw new Error(`${family} bucket without le`)
      const key = JSON.stringify(rest)
      series.set(key, [...(series.get(key) ?? []), sample])
    }
    for (const [key, buckets] of series) {
      for (let i = 1; i < buckets.length; i++) {
        const previous = buckets[i - 1] as Sample
        const current = buckets[i] as Sample
        if (sampleValue(current.labels.le as string) <= sampleValue(previous.labels.le as string)) throw new Error(`${family} buckets out of order`)
        if (current.value < previous.value) throw new Error(`${family} buckets not cumulative`)
      }
      const last = buckets[buckets.length - 1] as Sample
      const count = samples.find((s) => s.name === `${family}_count` && JSON.stringify(s.labels) === key)
      if (last.labels.le !== '+Inf' || count?.value !== last.value) throw new Error(`${family} +Inf bucket does not equal _count`)
    }
  }
}

function matches (sample: Sample, name: string, labels: Readonly<Record<string, string>>): boolean {
  return sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value)
}

/** The first series of `name` whose labels include `labels`; undefined when there is none. */
export function valueOf (samples: readonly Sample[], name: string, labels: Readonly<Record<string, string>> = {}): number | undefined {
  return samples.find((sample) => matches(sample, name, labels))?.value
}

/** The sum over every series of `name` whose labels include `labels` (0 when there is none). */
export function sumOf (samples: readonly Sample[], name: string, labels: Readonly<Record<string, string>> = {}): number {
  return samples.filter((sample) => matches(sample, name, labels)).reduce((total, sample) => total + sample.value, 0)
}
