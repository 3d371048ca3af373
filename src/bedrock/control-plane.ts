/** The parts of the Bedrock control plane's answers the gateway reads (GetInferenceProfile, ListInferenceProfiles, GetPromptRouter). */

/** What ListInferenceProfiles filters on, and what each profile reports as its `type`. */
export type InferenceProfileType = 'SYSTEM_DEFINED' | 'APPLICATION'

/** The part of GetInferenceProfile's answer (and of a ListInferenceProfiles summary) that routing needs. */
export interface InferenceProfileDescription {
  readonly inferenceProfileId: string
  readonly inferenceProfileArn: string
  readonly inferenceProfileName: string
  readonly type: InferenceProfileType
  readonly status: string
  /** `models[].modelArn`, in the order AWS gave them: one per destination region. Never empty. */
  readonly modelArns: readonly string[]
}

/** The part of GetPromptRouter's answer that routing needs. Every ARN may be a model or a profile ARN. */
export interface PromptRouterDescription {
  readonly promptRouterArn: string
  readonly promptRouterName: string
  readonly modelArns: readonly string[]
  readonly fallbackModelArn: string
}
