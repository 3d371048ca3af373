import { BEDROCK_API_SPECS, DEFAULT_AGENT_CONTROL_PLANE_ENDPOINT, DEFAULT_ALLOWED_OPERATIONS, OPERATION_NAMES } from '../bedrock/index.ts'
import { AWS_PARTITIONS, AWS_REGIONS, DEFAULT_PARTITION } from './aws-regions.ts'
import type { AllowList, EnforcementConfig, GeofenceConfig, RoutedResourceSetting } from './types.ts'

/*
 * The config file's JSON schema. Every `description` is worded as what a value must be ("an AWS region"): error
 * messages quote it after "is not" / "expected", so it reads as the expectation the user missed. Defaults live here
 * and nowhere else; ajv fills them in (`default: {}` on a section makes its own keys' defaults apply too).
 */

const AWS_REGION_REF = { $ref: '#/definitions/awsRegion' }
const OPERATION_REF = { $ref: '#/definitions/operation' }
const PROFILE_PREFIX_REF = { $ref: '#/definitions/profilePrefix' }

function listOf (items: object, description: string, extra: object = {}): object {
  return { type: 'array', items, uniqueItems: true, description, ...extra }
}

function section (description: string, properties: Record<string, object>, extra: object = {}): object {
  return { type: 'object', additionalProperties: false, default: {}, description, properties, ...extra }
}

/** An instant in UTC, to the second: `2027-01-15T00:00:00Z`. */
const UTC_INSTANT_PATTERN = '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,3})?Z$'

function enforcement (): object {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['mode'],
    description: 'an enforcement setting (mode, and until with monitor)',
    properties: {
      mode: { type: 'string', enum: ['enforce', 'monitor'], description: 'enforce or monitor' },
      until: { type: 'string', pattern: UTC_INSTANT_PATTERN, description: 'an instant in UTC such as 2027-01-15T00:00:00Z' }
    }
  }
}

function integer (description: string, minimum: number, defaultValue: number, maximum?: number): object {
  return { type: 'integer', minimum, ...(maximum === undefined ? {} : { maximum }), default: defaultValue, description }
}

/** Bedrock ends a bidirectional stream after 8 minutes; the gateway's own limit can only be shorter. */
const BIDIRECTIONAL_STREAM_CEILING_MS = 480_000

/** The words `resolve` and `deny` of a routed-resource setting; anything else must be a list of ARNs. */
const ROUTED_RESOURCE_WORDS = ['resolve', 'deny'] as const
const DEFAULT_ROUTED_RESOURCE_SETTING = 'resolve'
const ROUTED_RESOURCE_DESCRIPTION = 'resolve, deny, or a list of full ARNs'

/**
 * `resolve | deny | [ARN, ...]`. An if/then/else rather than anyOf, so only the branch that fits the value's kind
 * reports (a list is never told it is not `resolve`).
 */
function routedResourceSetting (extra: object = {}): object {
  return {
    if: { type: 'array' },
    then: listOf({ type: 'string', minLength: 1, description: 'a full ARN' }, ROUTED_RESOURCE_DESCRIPTION),
    // No `type` here: a number would be told twice that it is wrong.
    else: { enum: ROUTED_RESOURCE_WORDS, description: ROUTED_RESOURCE_DESCRIPTION },
    description: ROUTED_RESOURCE_DESCRIPTION,
    ...extra
  }
}

const PORT_DESCRIPTION = 'a TCP port number'
const HOST_DESCRIPTION = 'a host name or IP address to listen on'
const HIGHEST_PORT = 65535

const DEFAULT_UPSTREAM_ENDPOINT = BEDROCK_API_SPECS['bedrock-runtime'].defaultEndpoint
const DEFAULT_CONTROL_PLANE_ENDPOINT = 'https://bedrock.{region}.amazonaws.com'
const DEFAULT_MANTLE_ENDPOINT = BEDROCK_API_SPECS['bedrock-mantle'].defaultEndpoint
const MANTLE_SIGNING_NAMES = BEDROCK_API_SPECS['bedrock-mantle'].acceptedSigningNames
const ROUTING_VERIFY_MODES = ['catalog', 'live'] as const
/** clients[].name; keygen checks --name against it too, so the snippet it prints always loads. */
export const CLIENT_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'

export const CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  description: 'a bedrock-geofence config (a YAML mapping)',
  required: ['allow'],
  definitions: {
    awsRegion: { type: 'string', enum: AWS_REGIONS, description: 'an AWS region' },
    operation: { type: 'string', enum: OPERATION_NAMES, description: 'a bedrock-runtime operation' },
    profilePrefix: {
      type: 'string',
      pattern: '^[a-z]+(-[a-z]+)*$',
      description: 'an inference-profile prefix (lower case, like us, eu, apac or global)'
    }
  },
  properties: {
    allow: {
      type: 'object',
      additionalProperties: false,
      description: 'the allowlist (regions, inferenceProfilePrefixes, ...)',
      required: ['regions', 'inferenceProfilePrefixes'],
      properties: {
        regions: listOf(AWS_REGION_REF, 'a list of AWS regions', { minItems: 1 }),
        inferenceProfilePrefixes: listOf(PROFILE_PREFIX_REF, 'a list of inference-profile prefixes ([] for none)'),
        operations: listOf(OPERATION_REF, 'a list of bedrock-runtime operations',
          { minItems: 1, default: DEFAULT_ALLOWED_OPERATIONS }),
        partitions: listOf({ type: 'string', enum: AWS_PARTITIONS, description: 'an AWS partition' },
          'a list of AWS partitions', { minItems: 1, default: [DEFAULT_PARTITION] }),
        routedResources: listOf({ type: 'string', minLength: 1, description: 'a full ARN' },
          'a list of full ARNs', { default: [] }),
        applicationInferenceProfiles: routedResourceSetting({ default: DEFAULT_ROUTED_RESOURCE_SETTING }),
        promptRouters: routedResourceSetting({ default: DEFAULT_ROUTED_RESOURCE_SETTING }),
        mantleModels: listOf({ type: 'string', pattern: '^[A-Za-z0-9._:-]{1,256}$', description: 'a bedrock-mantle model id' },
          'a list of bedrock-mantle model ids', { default: [] }),
        agentAliases: routedResourceSetting({ default: DEFAULT_ROUTED_RESOURCE_SETTING }),
        flowAliases: routedResourceSetting({ default: DEFAULT_ROUTED_RESOURCE_SETTING })
      }
    },
    policy: section('the generated policy settings (sid)', {
      sid: {
        type: 'string',
        pattern: '^[A-Za-z0-9]+$',
        default: 'AllowBedrockModelInvocation',
        description: 'an IAM statement id (letters and digits only)'
      }
    }),
    listen: section('the Bedrock listener (host, port, tls)', {
      host: { type: 'string', minLength: 1, default: '127.0.0.1', description: HOST_DESCRIPTION },
      port: integer(PORT_DESCRIPTION, 0, 8080, HIGHEST_PORT),
      tls: {
        type: 'object',
        additionalProperties: false,
        required: ['cert', 'key'],
        description: 'TLS settings (cert and key)',
        properties: {
          cert: { type: 'string', minLength: 1, description: 'a PEM certificate chain' },
          key: { type: 'string', minLength: 1, description: 'a PEM private key' }
        }
      }
    }),
    admin: section('the admin listener (host, port)', {
      host: { type: 'string', minLength: 1, default: '127.0.0.1', description: HOST_DESCRIPTION },
      port: integer(PORT_DESCRIPTION, 0, 9090, HIGHEST_PORT)
    }),
    upstream: section('the upstream Bedrock settings', {
      endpoint: {
        type: 'string',
        minLength: 1,
        default: DEFAULT_UPSTREAM_ENDPOINT,
        description: 'an https origin, with {region} where the region goes'
      },
      controlPlaneEndpoint: {
        type: 'string',
        minLength: 1,
        default: DEFAULT_CONTROL_PLANE_ENDPOINT,
        description: 'an https origin, with {region} where the region goes'
      },
      mantleEndpoint: {
        type: 'string',
        minLength: 1,
        default: DEFAULT_MANTLE_ENDPOINT,
        description: 'an https origin, with {region} where the region goes'
      },
      mantleSigningName: {
        type: 'string',
        enum: MANTLE_SIGNING_NAMES,
        default: BEDROCK_API_SPECS['bedrock-mantle'].signingName,
        description: 'the SigV4 signing name for bedrock-mantle (bedrock-mantle or bedrock)'
      },
      agentRuntimeEndpoint: {
        type: 'string',
        minLength: 1,
        default: BEDROCK_API_SPECS['bedrock-agent-runtime'].defaultEndpoint,
        description: 'an https origin, with {region} where the region goes'
      },
      agentControlPlaneEndpoint: {
        type: 'string',
        minLength: 1,
        default: DEFAULT_AGENT_CONTROL_PLANE_ENDPOINT,
        description: 'an https origin, with {region} where the region goes'
      },
      simulator: { type: 'boolean', default: false, description: 'true only in the config demo writes' },
      connectTimeoutMs: integer('a time in milliseconds', 1, 10_000),
      headersTimeoutMs: integer('a time in milliseconds', 1, 300_000),
      bodyIdleTimeoutMs: integer('a time in milliseconds', 1, 300_000)
    }),
    aws: section('the gateway\'s own AWS credential settings', {
      roleArn: {
        type: 'string',
        pattern: '^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$',
        description: 'an IAM role ARN'
      },
      externalId: { type: 'string', pattern: '^[A-Za-z0-9+=,.@:/_-]{2,1224}$', description: 'an STS external id' },
      sessionName: {
        type: 'string',
        pattern: '^[A-Za-z0-9+=,.@_-]{2,64}$',
        default: 'bedrock-geofence',
        description: 'an STS role session name (2-64 characters)'
      },
      refreshBeforeExpirySeconds: integer('a number of seconds', 0, 300)
    }, { dependencies: { externalId: ['roleArn'] } }),
    limits: section('the request limits', {
      maxBodyBytes: integer('a number of bytes', 1, 25_000_000),
      maxBodyBytesInFlight: integer('a number of bytes', 1, 100_000_000),
      maxBodyBytesInFlightPerClient: integer('a number of bytes', 1, 50_000_000),
      clockSkewSeconds: integer('a number of seconds', 0, 300),
      requestTimeoutMs: integer('a time in milliseconds', 1, 60_000),
      maxConcurrentStreams: integer('a number of streams', 1, 1000),
      maxConcurrentBidirectionalStreams: integer('a number of streams', 1, 100, 10_000),
      bidirectionalIdleTimeoutMs: integer('a time in milliseconds', 1, 60_000, BIDIRECTIONAL_STREAM_CEILING_MS),
      bidirectionalMaxDurationMs: integer('a time in milliseconds', 1, BIDIRECTIONAL_STREAM_CEILING_MS, BIDIRECTIONAL_STREAM_CEILING_MS),
      maxEventLoopDelayMs: integer('a time in milliseconds (0 turns the check off)', 0, 200, 60_000)
    }),
    routing: section('the routing resolution settings (verify, cache, timeout, catalogFile)', {
      verify: {
        type: 'string',
        enum: ROUTING_VERIFY_MODES,
        default: 'catalog',
        description: 'catalog or live'
      },
      cacheTtlSeconds: integer('a number of seconds', 1, 600),
      negativeCacheTtlSeconds: integer('a number of seconds', 0, 30),
      lookupTimeoutMs: integer('a time in milliseconds', 1, 2_000, 60_000),
      maxCacheEntries: integer('a number of entries', 1, 10_000),
      catalogFile: { type: 'string', minLength: 1, description: 'the path of a routing catalog file (JSON)' }
    }),
    clients: {
      type: 'array',
      default: [],
      description: 'a list of clients',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        description: 'a client (name, and accessKeyId with secretAccessKey, or apiKeySha256)',
        properties: {
          name: {
            type: 'string',
            pattern: CLIENT_NAME_PATTERN,
            description: 'a client name (letters, digits, . _ -; up to 64)'
          },
          accessKeyId: {
            type: 'string',
            pattern: '^[A-Z0-9]{16,128}$',
            description: 'an access key id (16-128 upper-case letters and digits)'
          },
          secretAccessKey: { type: 'string', minLength: 1, description: 'a secret reference' },
          apiKeySha256: {
            type: 'string',
            pattern: '^[0-9a-f]{64}$',
            description: 'a sha256 in lower-case hex (64 characters)'
          },
          allow: {
            type: 'object',
            additionalProperties: false,
            description: 'a narrower allowlist (regions, inferenceProfilePrefixes, operations, applicationInferenceProfiles, promptRouters, agentAliases, flowAliases)',
            properties: {
              regions: listOf(AWS_REGION_REF, 'a list of AWS regions', { minItems: 1 }),
              inferenceProfilePrefixes: listOf(PROFILE_PREFIX_REF, 'a list of inference-profile prefixes ([] for none)'),
              operations: listOf(OPERATION_REF, 'a list of bedrock-runtime operations', { minItems: 1 }),
              applicationInferenceProfiles: routedResourceSetting(),
              promptRouters: routedResourceSetting(),
              agentAliases: routedResourceSetting(),
              flowAliases: routedResourceSetting()
            }
          },
          defaultRegion: AWS_REGION_REF,
          enforcement: enforcement()
        }
      }
    },
    acknowledge: {
      type: 'array',
      default: [],
      description: 'a list of acknowledged findings',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['finding', 'reason'],
        description: 'an acknowledgement (finding and reason)',
        properties: {
          finding: {
            type: 'string',
            // Mantle model ids (`mantle-model-routing-undocumented:anthropic.claude-opus-4-8`) bring dots and capitals.
            pattern: '^[a-z][a-z-]*(:[A-Za-z0-9._-]+)*$',
            description: 'a finding id as `check` prints it'
          },
          reason: { type: 'string', pattern: '\\S', description: 'a reason, in words' }
        }
      }
    },
    enforcement: { ...enforcement(), default: { mode: 'enforce' } },
    log: section('the log settings (level, pretty)', {
      level: {
        type: 'string',
        enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
        default: 'info',
        description: 'a log level'
      },
      pretty: { type: 'boolean', default: false, description: 'true or false' }
    }),
    shutdown: section('the shutdown settings (graceSeconds)', {
      graceSeconds: integer('a number of seconds', 0, 30)
    })
  }
} as const

/** The document once the schema has accepted it and filled in every default. */
interface RoutedResourceSettings {
  readonly applicationInferenceProfiles: RoutedResourceSetting
  readonly promptRouters: RoutedResourceSetting
  readonly agentAliases: RoutedResourceSetting
  readonly flowAliases: RoutedResourceSetting
}

export type RoutedResourceKey = keyof RoutedResourceSettings

/** The allowlist as written: routed-resource settings not yet turned into rules. */
export type RawAllow = Omit<AllowList, RoutedResourceKey> & RoutedResourceSettings

export type RawClientAllow = Partial<Pick<AllowList, 'regions' | 'inferenceProfilePrefixes' | 'operations'> & RoutedResourceSettings>

export interface RawClient {
  readonly name: string
  readonly accessKeyId?: string
  readonly secretAccessKey?: string
  readonly apiKeySha256?: string
  readonly allow?: RawClientAllow
  readonly defaultRegion?: string
  readonly enforcement?: EnforcementConfig
}

export type RawConfig = Omit<GeofenceConfig, 'clients' | 'allow'> & {
  readonly allow: RawAllow
  readonly clients: readonly RawClient[]
}
