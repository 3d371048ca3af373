import type { ListedProfile } from '../policy/index.ts'
import { type ControlPlaneClient, createRoutingResolver } from '../routing/index.ts'
import type { InferenceProfileDescription, InferenceProfileType } from '../bedrock/index.ts'
import { NO_CACHING } from './control-plane-access.ts'

/** Both kinds, system-defined first: the order rows are printed in. */
const PROFILE_TYPES: readonly InferenceProfileType[] = ['SYSTEM_DEFINED', 'APPLICATION']

/**
 * The control plane, except that a profile ListInferenceProfiles already described in `region` is answered from that
 * description: placing a listed profile costs no further call, and anything the listing does not hold (a profile
 * named in another region's ARN) is still asked for.
 */
function listingBackedClient (client: ControlPlaneClient, region: string, listed: readonly InferenceProfileDescription[]): ControlPlaneClient {
  return {
    ...client,
    async getInferenceProfile (lookupRegion, identifier) {
      const known = lookupRegion === region
        ? listed.find((profile) => profile.inferenceProfileArn === identifier || profile.inferenceProfileId === identifier)
        : undefined
      return known ?? await client.getInferenceProfile(lookupRegion, identifier)
    }
  }
}

function byTypeThenId (a: InferenceProfileDescription, b: InferenceProfileDescription): number {
  return PROFILE_TYPES.indexOf(a.type) - PROFILE_TYPES.indexOf(b.type) || a.inferenceProfileId.localeCompare(b.inferenceProfileId)
}

async function listRegion (client: ControlPlaneClient, region: string): Promise<ListedProfile[]> {
  const lists = await Promise.all(PROFILE_TYPES.map((type) => client.listInferenceProfiles(region, type)))
  const profiles = lists.flat().sort(byTypeThenId)
  // The gateway's own resolver, so a listed profile is placed exactly as a request through it would be.
  const resolver = createRoutingResolver({ client: listingBackedClient(client, region, profiles), ...NO_CACHING })
  return Promise.all(profiles.map(async (profile) => ({
    sourceRegion: region,
    profile,
    routing: await resolver.resolve(region, profile.inferenceProfileArn)
  })))
}

/**
 * Every inference profile, system-defined and application, that ListInferenceProfiles reports in each region (every
 * page), with where AWS says it runs from there; regions in the given order, then system profiles before
 * application ones, each by id. Rejects with the first ControlPlaneError of a listing.
 */
export async function listAccountProfiles (client: ControlPlaneClient, regions: readonly string[]): Promise<ListedProfile[]> {
  const perRegion = await Promise.all(regions.map((region) => listRegion(client, region)))
  return perRegion.flat()
}
