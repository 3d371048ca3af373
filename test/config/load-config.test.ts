import t from 'tap'
import { ConfigError, configPath, loadConfig } from '../../src/config/load-config.ts'
import { MINIMAL_CONFIG, writeConfig } from '../support/config-file.ts'
import { configuredCatalog, SHIPPED_CATALOG } from '../../src/config/routing-catalog.ts'

const SHIPPED_CONFIG = new URL('../../config/geofence.yaml', import.meta.url).pathname
const SHA256_OF_TEST = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'

/** Loads a config that must be refused and returns its problems. */
async function problemsOf (path: string, env: NodeJS.ProcessEnv = {}): Promise<readonly string[]> {
  try {
    await loadConfig(path, env)
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
  throw new Error(`${path} was accepted, expected problems`)
}

t.test('the shipped config loads with the seed allowlist and every default filled in', async (t) => {
  const config = await loadConfig(SHIPPED_CONFIG, {})
  t.strictSame(config.allow, {
    regions: ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'ca-west-1', 'eu-west-2',
      'ap-southeast-2', 'ap-southeast-4'],
    inferenceProfilePrefixes: ['us'],
    operations: ['InvokeModel', 'InvokeModelWithResponseStream', 'Converse', 'ConverseStream'],
    partitions: ['aws'],
    routedResources: [],
    applicationInferenceProfiles: { resolve: true },
    promptRouters: { resolve: true },
    mantleModels: [],
    agentAliases: { resolve: true },
    flowAliases: { resolve: true }
  })
  t.equal(config.policy.sid, 'AllowBedrockModelInvocationInAUSCANNZUKUS')
  t.strictSame(config.listen, { host: '127.0.0.1', port: 8080 })
  t.strictSame(config.admin, { host: '127.0.0.1', port: 9090 })
  t.strictSame(config.clients, [])
})

t.test('keys left out take their documented defaults', async (t) => {
  const config = await loadConfig(writeConfig(t, MINIMAL_CONFIG), {})
  t.strictSame(config.allow.operations, ['InvokeModel', 'InvokeModelWithResponseStream', 'Converse', 'ConverseStream'])
  t.strictSame(config.allow.partitions, ['aws'])
  t.strictSame(config.allow.routedResources, [])
  t.strictSame(config.allow.applicationInferenceProfiles, { resolve: true })
  t.strictSame(config.allow.promptRouters, { resolve: true })
  t.strictSame(config.allow.mantleModels, [])
  t.strictSame(config.allow.agentAliases, { resolve: true })
  t.strictSame(config.allow.flowAliases, { resolve: true })
  t.strictSame(config.routing, { verify: 'catalog', cacheTtlSeconds: 600, negativeCacheTtlSeconds: 30, lookupTimeoutMs: 2_000, maxCacheEntries: 10_000 })
  t.strictSame(config.upstream, {
    endpoint: 'https://bedrock-runtime.{region}.amazonaws.com',
    controlPlaneEndpoint: 'https://bedrock.{region}.amazonaws.com',
    mantleEndpoint: 'https://bedrock-mantle.{region}.api.aws',
    mantleSigningName: 'bedrock-mantle',
    agentRuntimeEndpoint: 'https://bedrock-agent-runtime.{region}.amazonaws.com',
    agentControlPlaneEndpoint: 'https://bedrock-agent.{region}.amazonaws.com',
    simulator: false,
    connectTimeoutMs: 10_000,
    headersTimeoutMs: 300_000,
    bodyIdleTimeoutMs: 300_000
  })
  t.strictSame(config.aws, { sessionName: 'bedrock-geofence', refreshBeforeExpirySeconds: 300 })
  t.strictSame(config.limits, {
    maxBodyBytes: 25_000_000,
    maxBodyBytesInFlight: 100_000_000,
    maxBodyBytesInFlightPerClient: 50_000_000,
    clockSkewSeconds: 300,
    requestTimeoutMs: 60_000,
    maxConcurrentStreams: 1000,
    maxConcurrentBidirectionalStreams: 100,
    bidirectionalIdleTimeoutMs: 60_000,
    bidirectionalMaxDurationMs: 480_000,
    maxEventLoopDelayMs: 200
  })
  t.strictSame(config.log, { level: 'info', pretty: false })
  t.strictSame(config.shutdown, { graceSeconds: 30 })
  t.strictSame(config.acknowledge, [])
  t.equal(config.listen.host, '127.0.0.1')
})

t.test('a loaded config cannot be changed', async (t) => {
  const config = await loadConfig(writeConfig(t, MINIMAL_CONFIG), {})
  t.throws(() => { (config.allow.regions as string[]).push('eu-west-3') })
})

t.test('a mistyped region names the path, the value and the closest region', async (t) => {
  const problems = await problemsOf(writeConfig(t, `
allow:
  regions: [us-east-1, us-east-2, us-west-2, eu-west-22]
  inferenceProfilePrefixes: [us]
`))
  t.strictSame(problems, ['allow.regions[3]: "eu-west-22" is not an AWS region (did you mean eu-west-2?)'])
})

t.test('a region far from every real one gets no guess', async (t) => {
  const problems = await problemsOf(writeConfig(t, `
allow: { regions: [mars-north-1], inferenceProfilePrefixes: [] }
`))
  t.strictSame(problems, ['allow.regions[0]: "mars-north-1" is not an AWS region'])
})

t.test('an unknown key is an error, with the key it probably meant', async (t) => {
  const problems = await problemsOf(writeConfig(t, `${MINIMAL_CONFIG}
listen: { host: 127.0.0.1, prot: 8080 }
`))
  t.strictSame(problems, ['listen.prot: unknown key (did you mean port?)'])
})

t.test('an unknown key unlike any other lists the keys that exist', async (t) => {
  const problems = await problemsOf(writeConfig(t, `${MINIMAL_CONFIG}
shutdown: { whenever: true }
`))
  t.strictSame(problems, ['shutdown.whenever: unknown key (expected one of graceSeconds)'])
})

t.test('every problem in the file is reported at once', async (t) => {
  const problems = await problemsOf(writeConfig(t, `
allow:
  regions: [us-east-1, eu-west-22]
  inferenceProfilePrefixes: [US]
  operations: [Converce]
listen: { port: 70000 }
log: { level: verbose }
`))
  t.strictSame(problems, [
    'allow.regions[1]: "eu-west-22" is not an AWS region (did you mean eu-west-2?)',
    'allow.inferenceProfilePrefixes[0]: "US" is not an inference-profile prefix (lower case, like us, eu, apac or global)',
    'allow.operations[0]: "Converce" is not a bedrock-runtime operation (did you mean Converse?)',
    'listen.port: 70000 is out of range (expected a TCP port number <= 65535)',
    'log.level: "verbose" is not a log level (expected one of fatal, error, warn, info, debug, trace, silent)'
  ])
})

t.test('a missing required key says what belongs there', async (t) => {
  const problems = await problemsOf(writeConfig(t, 'allow: { regions: [us-east-1] }\n'))
  t.strictSame(problems, [
    'allow.inferenceProfilePrefixes: is missing (expected a list of inference-profile prefixes ([] for none))'
  ])
})

t.test('a region listed twice is an error', async (t) => {
  const problems = await problemsOf(writeConfig(t, 'allow: { regions: [us-east-1, us-west-2, us-east-1], inferenceProfilePrefixes: [] }\n'))
  t.strictSame(problems, ['allow.regions[2]: "us-east-1" is listed twice (also at [0])'])
})

t.test('a region outside the allowed partitions is an error until its partition is listed', async (t) => {
  const refused = await problemsOf(writeConfig(t, 'allow: { regions: [us-gov-west-1], inferenceProfilePrefixes: [] }\n'))
  t.strictSame(refused, [
    'allow.regions[0]: "us-gov-west-1" is in partition aws-us-gov, which allow.partitions does not list (expected one of aws)'
  ])
  const config = await loadConfig(writeConfig(t,
    'allow: { regions: [us-gov-west-1], inferenceProfilePrefixes: [], partitions: [aws-us-gov] }\n'), {})
  t.strictSame(config.allow.partitions, ['aws-us-gov'])
})

t.test('YAML syntax errors name the line', async (t) => {
  const problems = await problemsOf(writeConfig(t, `allow: { regions: [us-east-1], inferenceProfilePrefixes: [] }
listen: port: 8080
`))
  t.strictSame(problems, ['line 2, column 9: Nested mappings are not allowed in compact mappings'])
})

t.test('a duplicated key in the YAML is an error', async (t) => {
  const problems = await problemsOf(writeConfig(t, `${MINIMAL_CONFIG}
listen: { port: 8080 }
listen: { port: 8081 }
`))
  t.strictSame(problems, ['line 7, column 1: Map keys must be unique'])
})

t.test('a file that cannot be read is a config error naming the file', async (t) => {
  const missing = `${t.testdir()}/nowhere.yaml`
  const error = await loadConfig(missing, {}).catch((caught: unknown) => caught)
  t.type(error, ConfigError)
  t.equal((error as ConfigError).file, missing)
  t.strictSame((error as ConfigError).problems, ['cannot be read (ENOENT)'])
})

t.test('references', async (t) => {
  const sigv4Client = (secret: string): string => `${MINIMAL_CONFIG}
clients:
  - name: litellm
    accessKeyId: GEOFENCELITELLM01
    secretAccessKey: ${secret}
`

  t.test('${env:NAME} is replaced by the variable', async (t) => {
    const config = await loadConfig(writeConfig(t, sigv4Client('${env:LITELLM_SECRET}')), { LITELLM_SECRET: 's3cret-from-env-for-tests-only-0123' })
    t.match(config.clients[0], { kind: 'sigv4', secretAccessKey: 's3cret-from-env-for-tests-only-0123' })
  })

  t.test('${file:/path} is replaced by the file content without its final newline', async (t) => {
    const secretFile = `${t.testdirName}/litellm.secret`
    const path = writeConfig(t, sigv4Client(`\${file:${secretFile}}`), { 'litellm.secret': 's3cret-from-file-for-tests-only-0123\n' })
    const config = await loadConfig(path, {})
    t.match(config.clients[0], { secretAccessKey: 's3cret-from-file-for-tests-only-0123' })
  })

  t.test('a relative ${file:...} is read next to the config file', async (t) => {
    const path = writeConfig(t, sigv4Client('${file:litellm.secret}'), { 'litellm.secret': 'next-door-secret-for-tests-only-0123' })
    const config = await loadConfig(path, {})
    t.match(config.clients[0], { secretAccessKey: 'next-door-secret-for-tests-only-0123' })
  })

  t.test('references work in any value, not only secrets', async (t) => {
    const config = await loadConfig(writeConfig(t, `${MINIMAL_CONFIG}
aws: { roleArn: "\${env:GATEWAY_ROLE}" }
`), { GATEWAY_ROLE: 'arn:aws:iam::123456789012:role/geofence' })
    t.equal(config.aws.roleArn, 'arn:aws:iam::123456789012:role/geofence')
  })

  t.test('an unset variable or unreadable file is reported with the reference, every one', async (t) => {
    const problems = await problemsOf(writeConfig(t, `${MINIMAL_CONFIG}
clients:
  - { name: a, accessKeyId: GEOFENCECLIENTAAAA, secretAccessKey: "\${env:UNSET_SECRET}" }
  - { name: b, accessKeyId: GEOFENCECLIENTBBBB, secretAccessKey: "\${file:/nonexistent/secret}" }
`))
    t.strictSame(problems, [
      'clients[0].secretAccessKey: ${env:UNSET_SECRET} is not set',
      'clients[1].secretAccessKey: ${file:/nonexistent/secret} cannot be read (ENOENT)'
    ])
  })

  t.test('text that only looks like a reference is an error', async (t) => {
    const problems = await problemsOf(writeConfig(t, `${MINIMAL_CONFIG}
aws: { roleArn: "prefix-\${env:ROLE}" }
`), { ROLE: 'x' })
    t.equal(problems[0],
      'aws.roleArn: "prefix-${env:ROLE}" is not a reference (expected the whole value to be ${env:NAME} or ${file:/path})')
  })

  t.test('a literal secretAccessKey is refused without echoing it', async (t) => {
    const problems = await problemsOf(writeConfig(t, sigv4Client('wJalrXUtnFEMI-literal-secret')))
    t.strictSame(problems, [
      'clients[0].secretAccessKey: is written inline (expected ${env:NAME} or ${file:/path}; secrets never live in the config file)'
    ])
    t.notMatch(problems.join('\n'), 'wJalrXUtnFEMI')
  })

  t.test('a literal TLS key is refused without echoing it', async (t) => {
    const certificate = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'
    const path = writeConfig(t, `${MINIMAL_CONFIG}
listen:
  tls: { cert: "\${file:cert.pem}", key: "-----BEGIN PRIVATE KEY----- inline-key-material" }
`, { 'cert.pem': certificate })
    const problems = await problemsOf(path)
    t.strictSame(problems, [
      'listen.tls.key: is written inline (expected ${env:NAME} or ${file:/path}; secrets never live in the config file)'
    ])
    t.notMatch(problems.join('\n'), 'inline-key-material')
  })

  t.test('TLS cert and key come from PEM files', async (t) => {
    const certificate = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'
    const key = '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n'
    const path = writeConfig(t, `${MINIMAL_CONFIG}
listen:
  tls: { cert: "\${file:cert.pem}", key: "\${file:key.pem}" }
`, { 'cert.pem': certificate, 'key.pem': key })
    const config = await loadConfig(path, {})
    t.strictSame(config.listen.tls, { cert: certificate.trimEnd(), key: key.trimEnd() })
  })
})

t.test('clients', async (t) => {
  t.test('a SigV4 client and a bearer client load with their effective allowlists', async (t) => {
    const config = await loadConfig(writeConfig(t, `${MINIMAL_CONFIG}
clients:
  - name: litellm
    accessKeyId: GEOFENCELITELLM01
    secretAccessKey: \${env:LITELLM_SECRET}
    allow: { regions: [eu-west-2], inferenceProfilePrefixes: [] }
  - name: batch-tool
    apiKeySha256: ${SHA256_OF_TEST}
    defaultRegion: us-west-2
`), { LITELLM_SECRET: 'litellm-secret-for-tests-only-0123' })
    t.strictSame(config.clients, [
      {
        kind: 'sigv4',
        name: 'litellm',
        allow: {
          regions: ['eu-west-2'],
          inferenceProfilePrefixes: [],
          operations: ['InvokeModel', 'InvokeModelWithResponseStream', 'Converse', 'ConverseStream'],
          partitions: ['aws'],
          routedResources: [],
          applicationInferenceProfiles: { resolve: true },
          promptRouters: { resolve: true },
          mantleModels: [],
          agentAliases: { resolve: true },
          flowAliases: { resolve: true }
        },
        accessKeyId: 'GEOFENCELITELLM01',
        secretAccessKey: 'litellm-secret-for-tests-only-0123'
      },
      {
        kind: 'bearer',
        name: 'batch-tool',
        allow: config.allow,
        defaultRegion: 'us-west-2',
        apiKeySha256: SHA256_OF_TEST
      }
    ])
  })

  t.test('a client allowlist that widens the global one names every value it adds', async (t) => {
    const problems = await problemsOf(writeConfig(t, `${MINIMAL_CONFIG}
clients:
  - name: greedy
    apiKeySha256: ${SHA256_OF_TEST}
    allow: { regions: [us-east-1, eu-west-3], inferenceProfilePrefixes: [eu], operations: [Converse, CountTokens] }
`))
    t.strictSame(problems, [
      'clients[0].allow.regions[1]: "eu-west-3" is not in allow.regions (a client\'s allowlist can only narrow the global one)',
      'clients[0].allow.inferenceProfilePrefixes[0]: "eu" is not in allow.inferenceProfilePrefixes (a client\'s allowlist can only narrow the global one)',
      'clients[0].allow.operations[1]: "CountTokens" is not in allow.operations (a client\'s allowlist can only narrow the global one)'
    ])
  })

  t.test('names and key ids must be unique', async (t) => {
    const problems = await problemsOf(writeConfig(t, `${MINIMAL_CONFIG}
clients:
  - { name: one, accessKeyId: GEOFENCESHAREDKEY01, secretAccessKey: "\${env:S}" }
  - { name: one, accessKeyId: GEOFENCESHAREDKEY01, secretAccessKey: "\${env:S}" }
  - { name: two, apiKeySha256: ${SHA256_OF_TEST} }
  - { name: three, apiKeySha256: ${SHA256_OF_TEST} }
`), { S: 'shared-secret-for-tests-only-0123' })
    t.strictSame(problems, [
      'clients[1].name: "one" is already used by clients[0] (expected each client\'s name to be unique)',
      'clients[1].accessKeyId: "GEOFENCESHAREDKEY01" is already used by clients[0] (expected each client\'s accessKeyId to be unique)',
      `clients[3].apiKeySha256: "${SHA256_OF_TEST}" is already used by clients[2] (expected each client's apiKeySha256 to be unique)`
    ])
  })

  t.test('a client needs exactly one complete set of credentials', async (t) => {
    const problems = await problemsOf(writeConfig(t, `${MINIMAL_CONFIG}
clients:
  - { name: none }
  - { name: both, accessKeyId: GEOFENCEBOTHKEYS01, secretAccessKey: "\${env:S}", apiKeySha256: ${SHA256_OF_TEST} }
  - { name: half, accessKeyId: GEOFENCEHALFKEYS01 }
`), { S: 'shared-secret-for-tests-only-0123' })
    t.strictSame(problems, [
      'clients[0]: has no credentials (expected accessKeyId with secretAccessKey, or apiKeySha256)',
      'clients[1]: has both accessKeyId/secretAccessKey and apiKeySha256 (expected exactly one way to authenticate)',
      'clients[2].secretAccessKey: is missing (expected ${env:NAME} or ${file:/path} alongside accessKeyId)'
    ])
  })

  t.test('a bearer key must be a lower-case sha256', async (t) => {
    const problems = await problemsOf(writeConfig(t, `${MINIMAL_CONFIG}
clients:
  - { name: bearer, apiKeySha256: ${SHA256_OF_TEST.toUpperCase()} }
`))
    t.strictSame(problems, [
      `clients[0].apiKeySha256: "${SHA256_OF_TEST.toUpperCase()}" is not a sha256 in lower-case hex (64 characters)`
    ])
  })

  t.test('a default region is for bearer clients, inside their allowlist', async (t) => {
    const problems = await problemsOf(writeConfig(t, `${MINIMAL_CONFIG}
clients:
  - { name: signer, accessKeyId: GEOFENCESIGNER0001, secretAccessKey: "\${env:S}", defaultRegion: us-east-1 }
  - { name: bearer, apiKeySha256: ${SHA256_OF_TEST}, allow: { regions: [us-east-1] }, defaultRegion: us-west-2 }
`), { S: 'shared-secret-for-tests-only-0123' })
    t.strictSame(problems, [
      'clients[0].defaultRegion: only bearer clients (apiKeySha256) use a default region; SigV4 callers sign for their region',
      'clients[1].defaultRegion: "us-west-2" is not among the client\'s allowed regions'
    ])
  })
})

t.test('listening beyond loopback needs at least one client', async (t) => {
  const problems = await problemsOf(writeConfig(t, `${MINIMAL_CONFIG}
listen: { host: 0.0.0.0 }
`))
  t.strictSame(problems, [
    'listen.host: "0.0.0.0" is not a loopback address, which needs at least one entry in clients (the gateway is never an open relay)'
  ])
})

t.test('the admin listener cannot share the Bedrock listener\'s port', async (t) => {
  const problems = await problemsOf(writeConfig(t, `${MINIMAL_CONFIG}
listen: { port: 8443 }
admin: { port: 8443 }
`))
  t.strictSame(problems, ['admin.port: 8443 is also listen.port; health, readiness and metrics need a port of their own'])
})

t.test('upstream endpoint', async (t) => {
  t.test('plain http is accepted only towards a loopback host', async (t) => {
    const local = await loadConfig(writeConfig(t, `${MINIMAL_CONFIG}
upstream: { endpoint: "http://127.0.0.1:4566" }
`), {})
    t.equal(local.upstream.endpoint, 'http://127.0.0.1:4566')
    const problems = await problemsOf(writeConfig(t, `${MINIMAL_CONFIG}
upstream: { endpoint: "http://bedrock-runtime.{region}.amazonaws.com" }
`))
    t.strictSame(problems, [
      'upstream.endpoint: "http://bedrock-runtime.{region}.amazonaws.com" is not https (expected an https origin such as ' +
        'https://bedrock-runtime.{region}.amazonaws.com; http only to a loopback host)'
    ])
  })

  t.test('a path, query or credentials in the endpoint are refused', async (t) => {
    const problems = await problemsOf(writeConfig(t, `${MINIMAL_CONFIG}
upstream: { endpoint: "https://bedrock-runtime.{region}.amazonaws.com/model" }
`))
    t.strictSame(problems, [
      'upstream.endpoint: "https://bedrock-runtime.{region}.amazonaws.com/model" has more than an origin (expected an ' +
        'https origin such as https://bedrock-runtime.{region}.amazonaws.com, with no path, query or credentials)'
    ])
  })
})

t.test('routed resources must be full ARNs of a routed kind in an allowed region', async (t) => {
  const problems = await problemsOf(writeConfig(t, `
allow:
  regions: [us-east-1]
  inferenceProfilePrefixes: []
  routedResources:
    - arn:aws:bedrock:us-east-1:123456789012:prompt/PROMPT1234
    - arn:aws:bedrock:eu-west-1:123456789012:prompt/PROMPT1234
    - arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2
    - a1b2c3d4e5f6
`))
  t.equal(problems.length, 3)
  t.equal(problems[0],
    'allow.routedResources[1]: "arn:aws:bedrock:eu-west-1:123456789012:prompt/PROMPT1234" is in region eu-west-1, which allow.regions does not list')
  t.match(problems[1],
    /^allow\.routedResources\[2\]: "arn:aws:bedrock:us-east-1::foundation-model\/anthropic\.claude-v2" is a foundation-model, which is allowed by region alone \(expected one of prompt, endpoint\)$/)
  t.equal(problems[2], 'allow.routedResources[3]: ARN "a1b2c3d4e5f6" is not an ARN (expected the full ARN of a routed resource)')
})

t.test('an external id needs the role it is for', async (t) => {
  const problems = await problemsOf(writeConfig(t, `${MINIMAL_CONFIG}
aws: { externalId: geofence-prod }
`))
  t.strictSame(problems, ['aws.externalId: needs aws.roleArn as well'])
})

t.test('acknowledgements need a reason, and each finding is acknowledged once', async (t) => {
  const problems = await problemsOf(writeConfig(t, `${MINIMAL_CONFIG}
acknowledge:
  - { finding: global-allowed }
  - { finding: "prefix-routes-outside:eu:eu-west-2", reason: "France is fine for this team" }
  - { finding: "prefix-routes-outside:eu:eu-west-2", reason: "again" }
`))
  t.strictSame(problems, [
    'acknowledge[0].reason: is missing (expected a reason, in words)'
  ])
  const twice = await problemsOf(writeConfig(t, `${MINIMAL_CONFIG}
acknowledge:
  - { finding: "prefix-routes-outside:eu:eu-west-2", reason: "France is fine for this team" }
  - { finding: "prefix-routes-outside:eu:eu-west-2", reason: "again" }
`))
  t.strictSame(twice, ['acknowledge[1].finding: "prefix-routes-outside:eu:eu-west-2" is acknowledged twice'])
})

t.test('--config wins over the environment', async (t) => {
  t.equal(configPath('/etc/a.yaml', { GEOFENCE_CONFIG: '/etc/b.yaml' }), '/etc/a.yaml')
})

t.test('$GEOFENCE_CONFIG is used without --config', async (t) => {
  t.equal(configPath(undefined, { GEOFENCE_CONFIG: '/etc/b.yaml' }), '/etc/b.yaml')
})

t.test('the shipped file is the default', async (t) => {
  t.equal(configPath(undefined, {}), 'config/geofence.yaml')
  t.equal(configPath(undefined, { GEOFENCE_CONFIG: '' }), 'config/geofence.yaml')
})

const CATALOG = {
  date: '2026-05-01',
  source: 'audit-profiles 111122223333/us-east-1 2026-05-01',
  prefixes: { us: { sources: { 'us-east-1': ['eu-west-1', 'us-east-1'] } } }
}

t.test('routing.catalogFile is read relative to the config file and becomes the catalog the engine uses', async (t) => {
  const path = writeConfig(t, `${MINIMAL_CONFIG}routing: { catalogFile: mine.json }\n`, { 'mine.json': JSON.stringify(CATALOG) })
  const config = await loadConfig(path, {})
  t.equal(config.routing.catalogFile, 'mine.json')
  t.strictSame(configuredCatalog(config), CATALOG)
})

t.test('without routing.catalogFile the engine uses the shipped catalog', async (t) => {
  const config = await loadConfig(writeConfig(t, MINIMAL_CONFIG), {})
  t.equal(configuredCatalog(config), SHIPPED_CATALOG)
})

t.test('a catalog file that is missing, not JSON or not a catalog is a config problem naming it', async (t) => {
  const cases: Record<string, [Record<string, string>, RegExp]> = {
    missing: [{}, /^routing\.catalogFile: "catalog\.json" cannot be read \(ENOENT\)$/],
    'not JSON': [{ 'catalog.json': '{"date": ' }, /^routing\.catalogFile: "catalog\.json" is not JSON \(/],
    'not a catalog': [
      { 'catalog.json': JSON.stringify({ ...CATALOG, prefixes: { us: { sources: { 'us-east-1': ['eu-west-22'] } } } }) },
      /^routing\.catalogFile: "catalog\.json" is not a routing catalog: catalog\.prefixes\.us\.sources\["us-east-1"\]\[0\]: "eu-west-22" is not an AWS region$/
    ]
  }
  for (const [name, [files, expected]] of Object.entries(cases)) {
    const path = writeConfig(t, `${MINIMAL_CONFIG}routing: { catalogFile: catalog.json }\n`, files)
    const problems = await problemsOf(path)
    t.equal(problems.length, 1, name)
    t.match(problems[0], expected, name)
  }
})

t.test('an empty routing.catalogFile is a schema problem', async (t) => {
  const problems = await problemsOf(writeConfig(t, `${MINIMAL_CONFIG}routing: { catalogFile: "" }\n`))
  t.match(problems.join('\n'), 'routing.catalogFile')
})
