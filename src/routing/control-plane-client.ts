import { encodeLabel, type InferenceProfileDescription, quoteValue } from '../bedrock/index.ts'
import { ControlPlaneError } from './control-plane-failure.ts'
import { parseInferenceProfile, parseInferenceProfilePage, parsePromptRouter } from './control-plane-answers.ts'
import { type ControlPlaneCall, createControlPlaneTransport, describeCall } from './control-plane-transport.ts'
import type { ControlPlaneClient, ControlPlaneClientOptions } from './types.ts'

/** An account has a few hundred profiles per region at most; a longer chain of pages is a loop. */
const MAX_LIST_PAGES = 100

/**
 * The Bedrock control plane (GetInferenceProfile, GetPromptRouter, ListInferenceProfiles), the identifier
 * percent-encoded as one path segment; see control-plane-transport.ts for signing, deadlines and failures.
 */
export function createControlPlaneClient (options: ControlPlaneClientOptions): ControlPlaneClient {
  const { answerOf, close } = createControlPlaneTransport(options)

  return {
    getInferenceProfile (region, identifier) {
      return answerOf({
        operation: 'GetInferenceProfile', region, subject: quoteValue(identifier), path: `/inference-profiles/${encodeLabel(identifier)}`, rawQuery: ''
      }, (json) => parseInferenceProfile(json))
    },

    getPromptRouter (region, promptRouterArn) {
      return answerOf({
        operation: 'GetPromptRouter', region, subject: quoteValue(promptRouterArn), path: `/prompt-routers/${encodeLabel(promptRouterArn)}`, rawQuery: ''
      }, parsePromptRouter)
    },

    async listInferenceProfiles (region, type) {
      const profiles: InferenceProfileDescription[] = []
      const seenTokens = new Set<string>()
      let nextToken: string | undefined
      for (let page = 0; page < MAX_LIST_PAGES; page++) {
        // No maxResults: the service's own page size, as the SDK paginators use.
        const tokenQuery = nextToken === undefined ? '' : `nextToken=${encodeLabel(nextToken)}&`
        const call: ControlPlaneCall = {
          operation: 'ListInferenceProfiles', region, subject: `(${type})`, path: '/inference-profiles', rawQuery: `${tokenQuery}type=${type}`
        }
        const answer = await answerOf(call, parseInferenceProfilePage)
        profiles.push(...answer.profiles)
        if (answer.nextToken === undefined) return profiles
        if (seenTokens.has(answer.nextToken)) {
          throw new ControlPlaneError('malformed-answer', call.operation, `${describeCall(call)} repeated a page token`)
        }
        seenTokens.add(answer.nextToken)
        nextToken = answer.nextToken
      }
      throw new ControlPlaneError('malformed-answer', 'ListInferenceProfiles',
        `ListInferenceProfiles (${type}) in ${region} went on for more than ${MAX_LIST_PAGES} pages`)
    },

    close
  }
}
