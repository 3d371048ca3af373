import { pino, type Logger } from 'pino'
import { profilePrefixOf, type ResourceIdentifier, type TokenUsage } from '../bedrock/index.ts'
import type { ShedCause } from './load-shed.ts'
import type { RequestDecision } from './metrics.ts'
import { AUDIT_MESSAGE, MS_PER_SECOND } from '../core/index.ts'

export const REDACTED = '[REDACTED]'
export { AUDIT_MESSAGE }
const STDOUT_FD = 1
const PRETTY_TRANSPORT = 'pino-pretty'
/** What an ISO 8601 time ends in after its seconds: `sss` milliseconds and the zone `Z`. */
const ISO_MILLISECONDS_AND_ZONE = 4
const MILLISECOND_DIGITS = 3

/**
 * Keys whose values never reach a log line: caller and upstream credentials, the stored bearer-key digests, cookies,
 * and request or response bodies (prompts and completions). Header names come in node's lower case and in the
 * canonical case other HTTP libraries use.
 */
export const SECRET_LOG_KEYS = [
  'authorization', 'Authorization',
  'proxy-authorization', 'Proxy-Authorization',
  'x-amz-security-token', 'X-Amz-Security-Token',
  'x-api-key', 'X-Api-Key',
  'cookie', 'Cookie',
  'set-cookie', 'Set-Cookie',
  'secretAccessKey',
  'sessionToken',
  'apiKey',
  'apiKeySha256',
  'body'
] as const

/**
 * Where those keys can sit in what the gateway logs: the object itself, header maps, credentials and config clients.
 * Explicit paths rather than `*` wildcards: pino's redaction walks every key of a wildcard level on every line,
 * which measured about 30 µs a line per level here against under 1 µs for explicit paths.
 */
export const SECRET_LOG_CONTAINERS = [
  '',
  'headers',
  'req.headers',
  'request.headers',
  'res.headers',
  'reply.headers',
  'upstream.headers',
  'credentials',
  'aws',
  'client',
  'clients[*]',
  'config.clients[*]',
  'config.aws'
] as const

function redactPaths (): string[] {
  return SECRET_LOG_CONTAINERS.flatMap((container) => SECRET_LOG_KEYS.map((key) => `${container}["${key}"]`))
}

let formattedSecond = Number.NaN
let timeFieldUpToSecond = ''

/**
 * The `time` field exactly as pino's isoTime writes it (`,"time":"2026-11-27T12:00:00.123Z"`), with the date formatted
 * once a second rather than on every line: toISOString cost about 0.5 µs a line, this about 0.07.
 */
export function isoTimeField (now: number = Date.now()): string {
  const second = Math.floor(now / MS_PER_SECOND)
  if (second !== formattedSecond) {
    formattedSecond = second
    timeFieldUpToSecond = `,"time":"${new Date(second * MS_PER_SECOND).toISOString().slice(0, -ISO_MILLISECONDS_AND_ZONE)}`
  }
  return `${timeFieldUpToSecond}${String(now - second * MS_PER_SECOND).padStart(MILLISECOND_DIGITS, '0')}Z"`
}

export interface LoggerOptions {
  readonly level: string
  readonly pretty: boolean
  /** File descriptor or file path; standard output unless given. */
  readonly destination?: number | string
}

/** What TurnBatchedLines writes through: sonic-boom in synchronous mode, which writes before returning and retries a full pipe. */
interface LineSink {
  write (text: string): boolean
}

/** Destinations holding lines not yet written, flushed when the process exits, a crash included. */
const holdingLines = new Set<TurnBatchedLines>()
let exitFlushInstalled = false

function flushAllOnExit (): void {
  for (const lines of holdingLines) lines.flushSync()
}

/**
 * The lines logged during one event-loop turn, written together at the turn's end (setImmediate): one write a turn
 * rather than one a line. At saturation a turn ends several requests; each line written alone cost about 1.5 µs more
 * CPU to /dev/null and 2.5 µs more to a pipe, and woke the log reader once per line. Nothing is lost on the way
 * out: `exit` listeners run on process.exit, at the end of the event loop and after an uncaught exception, and they
 * write what is held. Only a process killed outright (SIGKILL, the OOM killer) loses the lines of the turn it was
 * in, which were then not yet on the pipe.
 *
 * The write itself stays synchronous: sonic-boom's asynchronous mode cost more CPU a line here, not less (it takes
 * Buffer.byteLength of its whole pending string on every line, and hands each batch to the threadpool). Should the
 * log reader stop reading, the gateway waits for it, as Docker's default blocking mode makes any writer wait,
 * rather than buffering lines without bound; mode=non-blocking on the driver drops lines instead.
 */
export class TurnBatchedLines {
  private pending = ''
  private readonly writeHeld = (): void => this.flushSync()

  constructor (private readonly sink: LineSink) {}

  write (line: string): boolean {
    if (this.pending === '') {
      setImmediate(this.writeHeld)
      holdingLines.add(this)
      if (!exitFlushInstalled) {
        exitFlushInstalled = true
        process.once('exit', flushAllOnExit)
      }
    }
    this.pending += line
    return true
  }

  /** Writes what is held now (pino's `logger.flush()` lands here too). */
  flush (done?: (error?: Error) => void): void {
    this.flushSync()
    done?.()
  }

  flushSync (): void {
    if (this.pending === '') return
    const text = this.pending
    this.pending = ''
    holdingLines.delete(this)
    this.sink.write(text)
  }
}

/** JSON lines (ISO time, level names) for machines; pino-pretty in a worker thread only when asked for. */
export function createLogger (options: LoggerOptions): Logger {
  const destination = options.destination ?? STDOUT_FD
  const common = {
    level: options.level,
    timestamp: (): string => isoTimeField(),
    redact: { paths: redactPaths(), censor: REDACTED }
  }
  if (options.pretty) {
    return pino({ ...common, transport: { target: PRETTY_TRANSPORT, options: { destination, colorize: false } } })
  }
  return pino({ ...common, formatters: { level: (label) => ({ level: label }) } }, new TurnBatchedLines(pino.destination({ dest: destination, sync: true })))
}

export interface AuditEntry {
  /**
   * The gateway's id for the request: sent as `x-amzn-RequestId` with every answer the gateway makes itself (a
   * refusal, a failure) and quoted in any exception event it ends a stream with.
   */
  readonly requestId: string
  /** Bedrock's own `x-amzn-RequestId`, which the caller receives instead for a forwarded request (and AWS support asks for). */
  readonly upstreamRequestId?: string
  readonly client: string
  readonly operation?: string
  readonly region?: string
  /** The model the request names, as the request layer understood it. */
  readonly model?: ResourceIdentifier
  readonly decision: RequestDecision
  readonly reason?: string
  /** The Bedrock error name the caller received, when the gateway itself refused or failed the request. */
  readonly errorType?: string
  /** Why a shed request was turned away (overload or shutdown). */
  readonly shedCause?: ShedCause
  /** The status the caller received. */
  readonly status?: number
  readonly upstreamStatus?: number
  /** The content type of an upstream error answer that was not Bedrock-shaped, which the caller got in Bedrock's shape instead. */
  readonly upstreamContentType?: string
  readonly latencyMs: number
  readonly bytesIn: number
  readonly bytesOut?: number
  readonly usage?: TokenUsage
}

/** ARNs are told apart by their resource type, which says more than `arn` (application profile, prompt router ...). */
function modelKind (model: ResourceIdentifier): string {
  return model.kind === 'arn' ? model.arn.resourceType : model.kind
}

const auditLoggers = new WeakMap<Logger, Logger>()

/**
 * The logger's child without redaction, made once per logger. Every audit field is a scalar the gateway computed
 * (ids, names, numbers), never a header, a credential or a body, yet the key `client` is also a redaction container:
 * through the redacting logger each audit line cost about 4.6 µs and 8.6 KB of garbage in the redactor. It follows
 * the parent's level, which a config reload can change.
 */
function auditLogger (logger: Logger): Logger {
  let audit = auditLoggers.get(logger)
  if (audit === undefined) {
    audit = logger.child({}, { redact: [] })
    auditLoggers.set(logger, audit)
  }
  if (audit.level !== logger.level) audit.level = logger.level
  return audit
}

/** One JSON line per request: who, what, where, the verdict and its cost. Never a body, never a credential. */
export function auditRecord (parent: Logger, entry: AuditEntry): void {
  const logger = auditLogger(parent)
  const line = {
    requestId: entry.requestId,
    upstreamRequestId: entry.upstreamRequestId,
    client: entry.client,
    operation: entry.operation,
    region: entry.region,
    modelId: entry.model?.text,
    modelKind: entry.model === undefined ? undefined : modelKind(entry.model),
    profilePrefix: entry.model === undefined ? undefined : profilePrefixOf(entry.model),
    decision: entry.decision,
    reason: entry.reason,
    errorType: entry.errorType,
    shedCause: entry.shedCause,
    status: entry.status,
    upstreamStatus: entry.upstreamStatus,
    upstreamContentType: entry.upstreamContentType,
    latencyMs: entry.latencyMs,
    bytesIn: entry.bytesIn,
    bytesOut: entry.bytesOut,
    inputTokens: entry.usage?.inputTokens,
    outputTokens: entry.usage?.outputTokens
  }
  if (entry.decision === 'allowed') logger.info(line, AUDIT_MESSAGE)
  else logger.warn(line, AUDIT_MESSAGE)
}
