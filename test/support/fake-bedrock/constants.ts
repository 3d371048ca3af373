/** Wire constants the fake Bedrock answers with. Values are Bedrock's own, as its runtime API sends them, never the gateway's. */

export const LOOPBACK_HOST = '127.0.0.1'

export const SIGNING_SERVICE = 'bedrock'
export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256'
export const SIGV4_KEY_PREFIX = 'AWS4'
export const SIGV4_SCOPE_TERMINATOR = 'aws4_request'
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000

/** The upstream credentials a fake accepts when the test names none. Not an AWS key: it only means something here. */
export const FAKE_UPSTREAM_CREDENTIALS = {
  accessKeyId: 'AKIDFAKEUPSTREAM0001',
  secretAccessKey: 'fake-upstream-secret-0001/not-an-aws-key'
} as const

export const FAKE_ACCOUNT_ID = '111122223333'

export const DEFAULT_REPLY_TEXT = 'Hello from the fake Bedrock. This reply is deterministic.'
export const DEFAULT_FRAME_DELAY_MS = 20
/** Reported as `metrics.latencyMs` and `x-amzn-bedrock-invocation-latency`: fixed, so tests can compare it. */
export const FAKE_LATENCY_MS = 42
/** Long replies are sent in at most this many deltas, so a 20 MB body is not 20 MB of paced frames. */
export const MAX_DELTAS_PER_REPLY = 64
export const DEFAULT_WAIT_TIMEOUT_MS = 5000

export const HEADER = {
  contentType: 'content-type',
  errorType: 'x-amzn-errortype',
  requestId: 'x-amzn-requestid',
  bedrockContentType: 'x-amzn-bedrock-content-type',
  inputTokenCount: 'x-amzn-bedrock-input-token-count',
  outputTokenCount: 'x-amzn-bedrock-output-token-count',
  invocationLatency: 'x-amzn-bedrock-invocation-latency',
  authorization: 'authorization',
  amzDate: 'x-amz-date',
  securityToken: 'x-amz-security-token',
  contentSha256: 'x-amz-content-sha256',
  host: 'host'
} as const

export const CONTENT_TYPE = {
  json: 'application/json',
  eventStream: 'application/vnd.amazon.eventstream'
} as const

/** Status of each error the fake can answer with, as the Bedrock service model and AWS front end define them. */
export const ERROR_STATUS = {
  AccessDeniedException: 403,
  UnrecognizedClientException: 403,
  InvalidSignatureException: 403,
  ExpiredTokenException: 403,
  MissingAuthenticationTokenException: 403,
  IncompleteSignatureException: 400,
  ValidationException: 400,
  ConflictException: 400,
  ServiceQuotaExceededException: 400,
  ResourceNotFoundException: 404,
  UnknownOperationException: 404,
  ModelTimeoutException: 408,
  ModelErrorException: 424,
  ModelStreamErrorException: 424,
  ThrottlingException: 429,
  ModelNotReadyException: 429,
  InternalServerException: 500,
  ServiceUnavailableException: 503
} as const

export type ErrorName = keyof typeof ERROR_STATUS

export const AUTH_MESSAGE = {
  invalidToken: 'The security token included in the request is invalid.',
  expiredToken: 'The security token included in the request is expired',
  signatureMismatch: 'The request signature we calculated does not match the signature you provided. ' +
    'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  missingToken: 'Missing Authentication Token'
} as const
