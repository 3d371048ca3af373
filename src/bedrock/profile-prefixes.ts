/** System-defined inference-profile prefixes Bedrock uses (cross-region-profiles.md). */
export const SYSTEM_PROFILE_PREFIXES: ReadonlySet<string> = new Set(['us', 'us-gov', 'eu', 'apac', 'au', 'jp', 'ca', 'global'])

/** The prefix with no geographic boundary at all. */
export const GLOBAL_PROFILE_PREFIX = 'global'
