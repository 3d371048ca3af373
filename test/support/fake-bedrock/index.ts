/**
 * Fake Amazon Bedrock for tests: real HTTP/1.1 servers on 127.0.0.1 (random port) that the gateway forwards to.
 * Shares no code with the gateway: SigV4 is verified by its own implementation of the reference algorithm.
 *
 *   const fake = await startFakeBedrock()              // runtime; accepts FAKE_UPSTREAM_CREDENTIALS
 *   fake.url                                          // http://127.0.0.1:PORT, the upstream endpoint (no region)
 *   fake.requests[0]                                  // method, path as received, headers, rawHeaders, body,
 *                                                     // signature verdict, region (from the SigV4 scope),
 *                                                     // operation, fault, response {status, text, framesSent},
 *                                                     // receivedAt, closedEarly/closedAt, framesSentAt
 *   fake.nextFault({ kind: 'error', errorType: 'ThrottlingException' })      // next request only
 *   fake.setFault({ kind: 'slowHeaders', delayMs: 500 })                      // every request until cleared
 *   fake.configure({ replyText: 'Hi', frameDelayMs: 5 }); fake.lastResponseText
 *   await fake.waitForRequests(1); await fake.waitForClose(0); fake.reset(); await fake.close()
 *
 * Every request's signature (service `bedrock`) is checked against the accepted credentials (one set, a list, or a
 * lookup such as the fake credentials endpoint's `lookup`); failures answer 403 InvalidSignatureException,
 * UnrecognizedClientException (unknown key or wrong session token), ExpiredTokenException, or
 * InvalidSignatureException "Signature expired" (x-amz-date more than 5 minutes off), in Bedrock's error shape:
 * `x-amzn-ErrorType` header and `{"message": ...}`.
 *
 * Runtime answers (replies derive from pure functions exported here, so tests can compute what a client must see):
 * Converse, ConverseStream, InvokeModel (Anthropic messages format; `amazon.titan-embed-*` and `cohere.embed-*` in
 * their embedding formats), InvokeModelWithResponseStream (`chunk` events carrying Anthropic stream events),
 * CountTokens, ApplyGuardrail (action NONE), StartAsyncInvoke / GetAsyncInvoke / ListAsyncInvokes. Streams are real
 * event-stream frames (@smithy/eventstream-codec) paced `frameDelayMs` apart. Unknown paths: 404
 * UnknownOperationException.
 *
 *   const cp = await startFakeControlPlane({ inferenceProfiles: [applicationProfile({...})], promptRouters: [...] })
 *   cp.lookups('GetInferenceProfile')                 // how many lookups reached it
 *
 * Control plane: GetInferenceProfile, ListInferenceProfiles (paginated), GetPromptRouter, from fixtures.
 *
 *   const agents = await startFakeAgentControlPlane({ agents: [{ sourceRegion, agentId, aliases, models }], flows })
 *
 * Agents control plane (bedrock-agent): GetAgentAlias, GetAgentVersion, GetAgent, GetFlowAlias, GetFlowVersion, GetFlow.
 * The runtime fake also answers bedrock-agent-runtime: Rerank, Retrieve, RetrieveAndGenerate(Stream), InvokeAgent,
 * InvokeInlineAgent, InvokeFlow (agent-runtime/answer-agent-runtime.ts).
 *
 *   const creds = await startFakeCredentialsEndpoint({ lifetimeMs: 60_000 })  // ../fake-credentials-endpoint.ts
 *   await startFakeBedrock({ credentials: creds.lookup })                       // accepts whichever creds are current
 *
 *   const bidi = await startFakeBidirectional()       // InvokeModelWithBidirectionalStream over HTTP/2 (h2c)
 *   bidi.sessions[0]                                  // opening signature verdict, envelopes (payload, signatureOk),
 *                                                     // endFrame, closedEarly
 *
 * Bidirectional streams: every envelope's chained signature is checked with the fake's own code (event-chain.ts)
 * and each inner `chunk` event is echoed back as an output `chunk` with the same bytes.
 *
 * Client helpers (they sign with the AWS libraries, as callers do): runtimeClientFor(url) is the real SDK over
 * NodeHttpHandler with maxAttempts 1; sendSigned / sendRaw send one request with the path bytes exactly as given.
 */
export { startFakeBedrock, type FakeBedrock, type FakeBedrockOptions, type ReplySettings } from './start-fake-bedrock.ts'
export {
  startFakeControlPlane,
  type FakeControlPlane,
  type FakeControlPlaneOptions,
  type ControlPlaneOperation
} from './control-plane/start-fake-control-plane.ts'
export {
  applicationProfile,
  systemProfile,
  promptRouter,
  foundationModelArn,
  type InferenceProfileFixture,
  type InferenceProfileDescription,
  type PromptRouterFixture,
  type PromptRouterDescription
} from './control-plane/fixtures.ts'
export {
  startFakeAgentControlPlane,
  agentControlPlaneRoute,
  type FakeAgentControlPlane,
  type FakeAgentControlPlaneOptions,
  type AgentControlPlaneOperation
} from './agent-control-plane/start-fake-agent-control-plane.ts'
export { agentAliasArn, flowAliasArn, type AgentFixture, type FlowFixture } from './agent-control-plane/fixtures.ts'
export { rerankScore, retrievedPassage } from './agent-runtime/answer-agent-runtime.ts'
export type { Fault, StreamExceptionType, RecordedRequest, RecordedResponse, FakeHttpService } from './types.ts'
export type { AcceptedCredentials, CredentialLookup, UpstreamCredentials } from './credentials.ts'
export {
  verifySignature,
  type ReceivedRequest,
  type VerifyOptions,
  type SignatureVerdict,
  type SignatureAccepted,
  type SignatureRejected
} from './sigv4/verify-signature.ts'
export {
  FAKE_UPSTREAM_CREDENTIALS,
  FAKE_ACCOUNT_ID,
  FAKE_LATENCY_MS,
  DEFAULT_REPLY_TEXT,
  DEFAULT_FRAME_DELAY_MS,
  MAX_DELTAS_PER_REPLY,
  ERROR_STATUS,
  type ErrorName
} from './constants.ts'
export { replyTokens, replyDeltas, countInputTokens, countOutputTokens, largeReplyText, fakeEmbedding } from './reply.ts'
export {
  modelFamily,
  converseResponse,
  converseStreamEvents,
  anthropicMessage,
  anthropicStreamEvents,
  type ModelFamily,
  type ReplyFacts
} from './runtime/model-bodies.ts'
export { countedPayload } from './runtime/count-tokens.ts'
export { decodeFrames, eventFrame, exceptionFrame } from './event-stream.ts'
export {
  runtimeClientFor,
  sendRaw,
  sendSigned,
  signedHeaders,
  type RuntimeClientOptions,
  type ClientCredentials,
  type RawRequest,
  type RawResponse,
  type SignedRequest
} from './clients.ts'
export { startFakeMantle, type FakeMantleOptions } from './mantle/start-fake-mantle.ts'
export {
  startFakeBidirectional,
  type BidirectionalSession,
  type FakeBidirectional,
  type FakeBidirectionalOptions,
  type ReceivedEnvelope
} from './bidirectional/start-fake-bidirectional.ts'
export { envelopeSignature, type ChainKey } from './bidirectional/event-chain.ts'
