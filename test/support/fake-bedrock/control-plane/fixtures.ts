import { FAKE_ACCOUNT_ID } from '../constants.ts'

/**
 * Control-plane fixtures in the wire shapes of the `bedrock` service model (GetInferenceProfileResponse,
 * GetPromptRouterResponse; timestamps ISO 8601), each tied to the source region it lives in: a lookup signed for
 * another region does not find it, as on AWS.
 */

export interface InferenceProfileDescription {
  readonly inferenceProfileName: string
  readonly description?: string
  readonly createdAt?: string
  readonly updatedAt?: string
  readonly inferenceProfileArn: string
  readonly models: ReadonlyArray<{ readonly modelArn: string }>
  readonly inferenceProfileId: string
  readonly status: 'ACTIVE'
  readonly type: 'SYSTEM_DEFINED' | 'APPLICATION'
}

export interface InferenceProfileFixture {
  readonly sourceRegion: string
  readonly profile: InferenceProfileDescription
}

export interface PromptRouterDescription {
  readonly promptRouterName: string
  readonly routingCriteria: { readonly responseQualityDifference: number }
  readonly description?: string
  readonly createdAt?: string
  readonly updatedAt?: string
  readonly promptRouterArn: string
  readonly models: ReadonlyArray<{ readonly modelArn: string }>
  readonly fallbackModel: { readonly modelArn: string }
  readonly status: 'AVAILABLE'
  readonly type: 'custom' | 'default'
}

export interface PromptRouterFixture {
  readonly sourceRegion: string
  readonly router: PromptRouterDescription
}

const FIXTURE_TIME = '2025-01-15T10:00:00Z'
const DEFAULT_RESPONSE_QUALITY_DIFFERENCE = 0.25

export function foundationModelArn (region: string, modelId: string): string {
  return `arn:aws:bedrock:${region}::foundation-model/${modelId}`
}

/** `us.anthropic.claude-x` -> `anthropic.claude-x`: the foundation model a system profile routes to. */
function modelIdOfSystemProfile (profileId: string): string {
  return profileId.slice(profileId.indexOf('.') + 1)
}

/** A system-defined cross-region profile (`us.…`) as seen from `sourceRegion`, routing to `destinationRegions`. */
export function systemProfile (spec: {
  readonly id: string
  readonly sourceRegion: string
  readonly destinationRegions: readonly string[]
  readonly modelId?: string
}): InferenceProfileFixture {
  const modelId = spec.modelId ?? modelIdOfSystemProfile(spec.id)
  return {
    sourceRegion: spec.sourceRegion,
    profile: {
      inferenceProfileName: `${spec.id} (fake)`,
      description: `Routes ${modelId} across ${spec.destinationRegions.join(', ')}`,
      createdAt: FIXTURE_TIME,
      updatedAt: FIXTURE_TIME,
      inferenceProfileArn: `arn:aws:bedrock:${spec.sourceRegion}:${FAKE_ACCOUNT_ID}:inference-profile/${spec.id}`,
      models: spec.destinationRegions.map(region => ({ modelArn: foundationModelArn(region, modelId) })),
      inferenceProfileId: spec.id,
      status: 'ACTIVE',
      type: 'SYSTEM_DEFINED'
    }
  }
}

/** An application inference profile (`application-inference-profile/<12 chars>`) and the regions it can run in. */
export function applicationProfile (spec: {
  readonly id: string
  readonly sourceRegion: string
  readonly destinationRegions: readonly string[]
  readonly modelId: string
  readonly name?: string
}): InferenceProfileFixture {
  return {
    sourceRegion: spec.sourceRegion,
    profile: {
      inferenceProfileName: spec.name ?? `app-profile-${spec.id}`,
      createdAt: FIXTURE_TIME,
      updatedAt: FIXTURE_TIME,
      inferenceProfileArn: `arn:aws:bedrock:${spec.sourceRegion}:${FAKE_ACCOUNT_ID}:application-inference-profile/${spec.id}`,
      models: spec.destinationRegions.map(region => ({ modelArn: foundationModelArn(region, spec.modelId) })),
      inferenceProfileId: spec.id,
      status: 'ACTIVE',
      type: 'APPLICATION'
    }
  }
}

/** A prompt router; `models` and `fallbackModel` are model or profile ARNs, as GetPromptRouter reports them. */
export function promptRouter (spec: {
  readonly name: string
  readonly sourceRegion: string
  readonly type: 'custom' | 'default'
  readonly models: readonly string[]
  readonly fallbackModel: string
  /** For custom routers, the 12-character id in the ARN; default routers are named by `name`. */
  readonly id?: string
}): PromptRouterFixture {
  const resource = spec.type === 'default' ? `default-prompt-router/${spec.name}` : `prompt-router/${spec.id ?? spec.name}`
  return {
    sourceRegion: spec.sourceRegion,
    router: {
      promptRouterName: spec.name,
      routingCriteria: { responseQualityDifference: DEFAULT_RESPONSE_QUALITY_DIFFERENCE },
      createdAt: FIXTURE_TIME,
      updatedAt: FIXTURE_TIME,
      promptRouterArn: `arn:aws:bedrock:${spec.sourceRegion}:${FAKE_ACCOUNT_ID}:${resource}`,
      models: spec.models.map(modelArn => ({ modelArn })),
      fallbackModel: { modelArn: spec.fallbackModel },
      status: 'AVAILABLE',
      type: spec.type
    }
  }
}
