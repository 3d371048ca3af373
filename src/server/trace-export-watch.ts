import { type ExportResult, ExportResultCode } from '@opentelemetry/core'
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace'
import type { Logger } from 'pino'
import { TRACE_EXPORT_FAILURES_METRIC } from './metrics.ts'

/**
 * Why an export failed, in words safe to log: the collector's HTTP status, or the network error. Never the
 * exporter's `data` (the collector's answer body) nor anything of the request, whose headers may carry a token.
 */
export function exportFailureCause (error: Error | undefined): string {
  if (error === undefined) return 'the exporter gave no reason'
  const { code } = error as Error & { code?: unknown }
  if (typeof code === 'number') return `the collector answered HTTP ${code}${error.message === '' ? '' : ` ${error.message}`}`
  return error.message
}

/**
 * The exporter, reporting what the SDK would otherwise only pass to its diagnostic logger, which is silent unless
 * configured: every failed export is counted, and the first of a run of failures is logged with its cause, so an
 * unreachable collector leaves one line, not one per batch. The first success after that says so.
 */
export function watchExports (exporter: SpanExporter, logger: Logger, countFailure: () => void): SpanExporter {
  let failedInARow = 0
  const report = (result: ExportResult): void => {
    if (result.code === ExportResultCode.SUCCESS) {
      if (failedInARow > 0) logger.info({ failedExports: failedInARow }, 'tracing: the OTLP endpoint accepts spans again; the spans of the failed exports are lost')
      failedInARow = 0
      return
    }
    countFailure()
    failedInARow++
    if (failedInARow === 1) {
      logger.warn({ cause: exportFailureCause(result.error) }, 'tracing: spans could not be exported over OTLP and are dropped; ' +
        'check that the collector at OTEL_EXPORTER_OTLP_ENDPOINT is up and accepts them. Failures are counted in ' +
        `${TRACE_EXPORT_FAILURES_METRIC}; this is logged again only after an export succeeds`)
    }
  }
  return {
    export (spans: ReadableSpan[], resultCallback: (result: ExportResult) => void) {
      exporter.export(spans, (result) => {
        report(result)
        resultCallback(result)
      })
    },
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve()
  }
}
