import { createRequestSigner, unsignedHeaders, type RequestSigner } from './sigv4-client.ts'
import { GATEWAY_CLIENT, REGION_PREFIX, UPSTREAM_CREDENTIALS } from './workload.ts'

/** Somewhere the bench sends Bedrock requests, and how a client there authenticates. */
export interface LoadTarget {
  readonly name: string
  readonly origin: string
  /** Put before every operation path (`/us-east-1` for the anonymous gateway). */
  readonly pathPrefix: string
  readonly sign: RequestSigner
}

/** Straight to the upstream, signed with the upstream credentials, as a client without the gateway would. */
export function directTarget (upstreamUrl: string): LoadTarget {
  return { name: 'direct', origin: upstreamUrl, pathPrefix: '', sign: createRequestSigner(upstreamUrl, UPSTREAM_CREDENTIALS) }
}

/** Through the gateway as its configured SigV4 client: inbound verification included. */
export function signedGatewayTarget (gatewayUrl: string): LoadTarget {
  return { name: 'gateway (SigV4 client)', origin: gatewayUrl, pathPrefix: '', sign: createRequestSigner(gatewayUrl, GATEWAY_CLIENT) }
}

/** Through a gateway with no clients configured (loopback anonymous mode): no signature, region from the path prefix. */
export function anonymousGatewayTarget (gatewayUrl: string): LoadTarget {
  return { name: 'gateway (anonymous)', origin: gatewayUrl, pathPrefix: REGION_PREFIX, sign: unsignedHeaders }
}

/** Through the bare re-signing pass-through, which checks nothing; the client signs as it would for the gateway. */
export function barePassThroughTarget (url: string): LoadTarget {
  return { name: 'bare pass-through', origin: url, pathPrefix: '', sign: createRequestSigner(url, GATEWAY_CLIENT) }
}

/** Through aws-sigv4-proxy, which checks nothing and re-signs; the client signs as it would for the gateway. */
export function sigv4ProxyTarget (url: string): LoadTarget {
  return { name: 'aws-sigv4-proxy', origin: url, pathPrefix: '', sign: createRequestSigner(url, GATEWAY_CLIENT) }
}
