/**
 * The Bedrock APIs the gateway fronts. Each is its own AWS service endpoint (`bedrock-runtime.{region}.amazonaws.com`
 * ...) with its own operation table; one gateway listener serves them all, and an operation's row says which API it
 * belongs to, so the forwarder knows the host and the signing name without the handler naming any API.
 */
export const BEDROCK_APIS = ['bedrock-runtime', 'bedrock-mantle', 'bedrock-agent-runtime'] as const

export type BedrockApi = (typeof BEDROCK_APIS)[number]

export interface BedrockApiSpec {
  /** The SigV4 signing name the gateway signs this API's requests with, upstream. */
  readonly signingName: string
  /** The public endpoint, with `{region}` where the region goes: the default of its `upstream` setting. */
  readonly defaultEndpoint: string
  /** Every signing name a caller may sign this API's requests for; the first is the one AWS's own SDKs use. */
  readonly acceptedSigningNames: readonly string[]
}

/** Bedrock's SigV4 signing name: callers sign for it, and the gateway signs with it for the runtime and the control plane alike. */
export const BEDROCK_SIGNING_SERVICE = 'bedrock'

/**
 * bedrock-mantle's signing name. AWS's IAM prefix for it is `bedrock-mantle`
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_bedrock-mantle.html), and OpenAI's SDKs and
 * later LiteLLM releases sign for it; earlier LiteLLM releases sign mantle calls for `bedrock`. The gateway accepts
 * both from callers, and signs upstream with `upstream.mantleSigningName` (this by default).
 */
export const MANTLE_SIGNING_SERVICE = 'bedrock-mantle'

export const BEDROCK_API_SPECS: Readonly<Record<BedrockApi, BedrockApiSpec>> = {
  'bedrock-runtime': {
    signingName: BEDROCK_SIGNING_SERVICE,
    defaultEndpoint: 'https://bedrock-runtime.{region}.amazonaws.com',
    acceptedSigningNames: [BEDROCK_SIGNING_SERVICE]
  },
  'bedrock-mantle': {
    signingName: MANTLE_SIGNING_SERVICE,
    defaultEndpoint: 'https://bedrock-mantle.{region}.api.aws',
    acceptedSigningNames: [MANTLE_SIGNING_SERVICE, BEDROCK_SIGNING_SERVICE]
  },
  // Knowledge bases, agents and flows; the service model signs it as `bedrock` too.
  'bedrock-agent-runtime': {
    signingName: BEDROCK_SIGNING_SERVICE,
    defaultEndpoint: 'https://bedrock-agent-runtime.{region}.amazonaws.com',
    acceptedSigningNames: [BEDROCK_SIGNING_SERVICE]
  }
}

/** Where agents, agent aliases, flows and knowledge bases are described (bedrock-agent), signed as `bedrock`. */
export const DEFAULT_AGENT_CONTROL_PLANE_ENDPOINT = 'https://bedrock-agent.{region}.amazonaws.com'
