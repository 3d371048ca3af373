import { randomBytes } from 'node:crypto'
import { FAKE_ACCOUNT_ID } from '../constants.ts'

/** An async invocation as GetAsyncInvoke / ListAsyncInvokes describe it (timestamps as ISO 8601 strings). */
export interface AsyncInvocation {
  readonly invocationArn: string
  readonly modelArn: string
  readonly clientRequestToken?: string
  readonly status: 'InProgress' | 'Completed' | 'Failed'
  readonly submitTime: string
  readonly lastModifiedTime: string
  readonly outputDataConfig: unknown
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789'
const ID_LENGTH = 12

function invocationId (): string {
  return [...randomBytes(ID_LENGTH)].map(byte => ID_ALPHABET[byte % ID_ALPHABET.length]).join('')
}

function modelArnOf (modelId: string, region: string): string {
  return modelId.startsWith('arn:') ? modelId : `arn:aws:bedrock:${region}::foundation-model/${modelId}`
}

/** The fake's memory of StartAsyncInvoke calls. The jobs never run: they stay InProgress. */
export class AsyncInvokeStore {
  private readonly invocations: AsyncInvocation[] = []

  /** Starts an invocation, or returns the existing one for a repeated client request token (idempotency). */
  start (region: string, modelId: string, outputDataConfig: unknown, clientRequestToken?: string): AsyncInvocation {
    const existing = clientRequestToken === undefined
      ? undefined
      : this.invocations.find(invocation => invocation.clientRequestToken === clientRequestToken)
    if (existing !== undefined) return existing
    const now = new Date().toISOString()
    const invocation: AsyncInvocation = {
      invocationArn: `arn:aws:bedrock:${region}:${FAKE_ACCOUNT_ID}:async-invoke/${invocationId()}`,
      modelArn: modelArnOf(modelId, region),
      ...(clientRequestToken === undefined ? {} : { clientRequestToken }),
      status: 'InProgress',
      submitTime: now,
      lastModifiedTime: now,
      outputDataConfig
    }
    this.invocations.push(invocation)
    return invocation
  }

  get (invocationArn: string): AsyncInvocation | undefined {
    return this.invocations.find(invocation => invocation.invocationArn === invocationArn)
  }

  /** Newest first, as ListAsyncInvokes sorts by default. */
  list (): AsyncInvocation[] {
    return [...this.invocations].reverse()
  }

  clear (): void {
    this.invocations.length = 0
  }
}
