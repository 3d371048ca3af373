/**
 * Where each system inference-profile prefix can run, per source region: the union over every profile in AWS's
 * published tables, so a model that routes more widely than its siblings still counts. Conservative on purpose: a
 * destination listed here that no profile uses only makes the gateway refuse more.
 *
 * Refresh from your own account with `bedrock-geofence audit-profiles --write-catalog FILE`.
 */

const US_CORE = ['us-east-1', 'us-east-2', 'us-west-2']
const EU_CORE = ['eu-central-1', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-3']
/** apac destinations vary a lot by model and source; every source gets the union of all of them. */
const APAC_ALL = [
  'ap-east-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-south-2',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-7',
  'me-central-1'
]
const AU = ['ap-southeast-2', 'ap-southeast-4']
const JP = ['ap-northeast-1', 'ap-northeast-3']
const CA = ['ca-central-1', 'ca-west-1']
const US_GOV = ['us-gov-east-1', 'us-gov-west-1']

function sameForEach (sources: readonly string[], destinations: readonly string[]): Record<string, readonly string[]> {
  return Object.fromEntries(sources.map((source) => [source, destinations]))
}

/** Plain data in the shape `parseCatalog` reads, exactly what `audit-profiles --write-catalog` writes. */
export const SHIPPED_CATALOG_DATA = {
  date: '2025-12',
  source: 'AWS Bedrock user guide, "Supported Regions and models for inference profiles" (per-profile tables as ' +
    'published around December 2025): https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-support.html',
  prefixes: {
    us: {
      sources: {
        // "us-west-1 ... (and a few models from us-east-1)": the union keeps us-west-1 for us-east-1 callers.
        'us-east-1': [...US_CORE, 'us-west-1'],
        'us-east-2': US_CORE,
        'us-west-2': US_CORE,
        'us-west-1': [...US_CORE, 'us-west-1'],
        'ca-central-1': [...US_CORE, 'ca-central-1'],
        'ca-west-1': [...US_CORE, 'ca-west-1']
      }
    },
    'us-gov': { sources: sameForEach(US_GOV, US_GOV) },
    eu: {
      sources: {
        ...sameForEach(EU_CORE, EU_CORE),
        'eu-central-2': [...EU_CORE, 'eu-central-2'],
        'eu-west-2': [...EU_CORE, 'eu-west-2'],
        'il-central-1': [...EU_CORE, 'il-central-1']
      }
    },
    apac: { sources: sameForEach(APAC_ALL, APAC_ALL) },
    au: { sources: sameForEach(AU, AU) },
    jp: { sources: sameForEach(JP, JP) },
    ca: { sources: sameForEach(CA, CA) },
    // Global profiles run in any commercial region; their source regions vary per model.
    global: { anyRegion: true, sources: {} }
  }
}

/**
 * Providers whose system inference profiles (`us.openai...`, `global.openai...`, `us.xai...`) AWS has published no
 * destination regions for: "Supported Regions and models for inference profiles"
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-support.html) lists none, and the model
 * cards that page now points to could not be found either (searched 2026-12). The prefix rows above are a union over
 * the profiles AWS did publish, so they cannot vouch for these: the engine allows them only on AWS's own answer
 * (`routing.verify: live`).
 */
export const PROFILE_PROVIDERS_WITHOUT_PUBLISHED_DESTINATIONS: ReadonlySet<string> = new Set(['openai', 'xai'])
