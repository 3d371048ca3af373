/** A trial without AWS: the gateway on the shipped allowlist in front of a built-in Bedrock simulator. */

export { startDemo } from './demo.ts'
export type { RunningDemo } from './demo.ts'
