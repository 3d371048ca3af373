import type { GeofenceConfig } from '../config/index.ts'

/** IAM policy JSON, with keys in the order AWS documentation and the console show them. */
export type ConditionValue = string | readonly string[]
export type ConditionBlock = Readonly<Record<string, Readonly<Record<string, ConditionValue>>>>

export type PolicyStatement = {
  readonly Sid: string
  readonly Effect: 'Allow' | 'Deny'
} & ({ readonly Action: ConditionValue } | { readonly NotAction: ConditionValue }) & {
  readonly Condition?: ConditionBlock
  readonly Resource: ConditionValue
}

export interface PolicyDocument {
  readonly Version: typeof POLICY_VERSION
  readonly Statement: readonly PolicyStatement[]
}

export const POLICY_VERSION = '2012-10-17'
export const REQUESTED_REGION_KEY = 'aws:RequestedRegion'
export const INFERENCE_PROFILE_ARN_KEY = 'bedrock:InferenceProfileArn'
/** What IAM sees as the requested region when a global profile authorizes the region-less foundation model. */
export const UNSPECIFIED_REGION = 'unspecified'
export const ANY_RESOURCE = '*'
const INDENT = 2

/** One value stays a string, several become a list: the form AWS's own examples use. */
export function oneOrMany (values: readonly string[]): ConditionValue {
  return values.length === 1 ? values[0]! : values
}

/** `arn:<partition>:bedrock:<region>:<account>:<resource>` for every allowed partition, in config order. */
export function bedrockArns (config: GeofenceConfig, region: string, account: string, resource: string): string[] {
  return config.allow.partitions.map((partition) => `arn:${partition}:bedrock:${region}:${account}:${resource}`)
}

/** The system inference profiles of every allowed prefix, from any source region. */
export function allowedProfileArnPatterns (config: GeofenceConfig): string[] {
  return config.allow.inferenceProfilePrefixes.flatMap((prefix) =>
    bedrockArns(config, '*', '*', `inference-profile/${prefix}.*`))
}

/** Pretty-printed, newline-terminated: the same config always gives the same bytes, ready to paste. */
export function renderPolicy (document: PolicyDocument): string {
  return `${JSON.stringify(document, null, INDENT)}\n`
}
