/**
 * First segments of foundation-model ids (`anthropic.claude-...`, `amazon.nova-...`). Only an id that starts with one
 * of these, spelled exactly so, is taken for a single-region foundation model; every other dotted id is treated as an
 * inference profile named by its first segment, which must then be an allowed prefix. A provider missing here is
 * therefore refused, never let through: add new providers as Bedrock publishes them.
 */
export const FOUNDATION_MODEL_PROVIDERS: ReadonlySet<string> = new Set([
  'ai21',
  'amazon',
  'anthropic',
  'cohere',
  'deepseek',
  'google',
  'luma',
  'meta',
  'minimax',
  'mistral',
  'moonshot',
  'moonshotai',
  'nvidia',
  'openai',
  'qwen',
  'stability',
  'twelvelabs',
  'writer',
  'zai'
])
