import t from 'tap'
import { isRegionName } from '../../src/bedrock/region-name.ts'
import { AWS_REGIONS } from '../../src/config/aws-regions.ts'

t.test('commercial, GovCloud, ISO and European Sovereign Cloud region names are recognised', async (t) => {
  for (const region of ['us-east-1', 'eu-west-2', 'ap-southeast-4', 'il-central-1', 'us-gov-west-1', 'us-iso-east-1', 'us-isob-east-1', 'eu-isoe-west-1', 'eusc-de-east-1']) {
    t.ok(isRegionName(region), region)
  }
})

t.test('anything else is not a region name', async (t) => {
  for (const text of ['', 'model', 'US-EAST-1', 'us-east', 'us-east-12', 'useast-1', 'us-east-1 ', 'global', 'unspecified', 'us_east_1', 'eusc-east-1', 'euscx-de-east-1']) {
    t.notOk(isRegionName(text), JSON.stringify(text))
  }
})

t.test('every region the config accepts has a region name\'s shape, so a request can name it (eusc-de-east-1 did not)', async (t) => {
  t.same(AWS_REGIONS.filter((region) => !isRegionName(region)), [])
})
