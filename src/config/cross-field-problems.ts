import { allowProblems, routedResourceSettingProblems } from './allow-problems.ts'
import { clientProblems } from './client-problems.ts'
import { endpointProblems, listenProblems } from './address-problems.ts'
import type { RawConfig } from './schema.ts'
import { secretStrengthProblems } from './secret-strength-problems.ts'

function acknowledgementProblems ({ acknowledge }: RawConfig): string[] {
  const seen = new Set<string>()
  return acknowledge.flatMap(({ finding }, index) => {
    if (!seen.has(finding)) {
      seen.add(finding)
      return []
    }
    return [`acknowledge[${index}].finding: ${JSON.stringify(finding)} is acknowledged twice`]
  })
}

/** Rules that relate one part of a schema-valid config to another. */
export function crossFieldProblems (config: RawConfig, unresolvedPaths: ReadonlySet<string>): string[] {
  return [
    ...allowProblems(config),
    ...routedResourceSettingProblems(config),
    ...listenProblems(config, unresolvedPaths),
    ...endpointProblems('upstream.endpoint', config.upstream.endpoint),
    ...endpointProblems('upstream.controlPlaneEndpoint', config.upstream.controlPlaneEndpoint),
    ...endpointProblems('upstream.mantleEndpoint', config.upstream.mantleEndpoint),
    ...endpointProblems('upstream.agentRuntimeEndpoint', config.upstream.agentRuntimeEndpoint),
    ...endpointProblems('upstream.agentControlPlaneEndpoint', config.upstream.agentControlPlaneEndpoint),
    ...clientProblems(config),
    ...secretStrengthProblems(config, unresolvedPaths),
    ...acknowledgementProblems(config)
  ]
}
