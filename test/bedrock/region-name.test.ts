import t from 'tap'
import { isRegionName } from '../../src/bedrock/region-name.ts'

t.test('commercial, GovCloud and ISO region names are recognised', async (t) => {
  for (const region of ['us-east-1', 'eu-west-2', 'ap-southeast-4', 'il-central-1', 'us-gov-west-1', 'us-iso-east-1', 'us-isob-east-1', 'eu-isoe-west-1']) {
    t.ok(isRegionName(region), region)
  }
})

t.test('anything else is not a region name', async (t) => {
  for (const text of ['', 'model', 'US-EAST-1', 'us-east', 'us-east-12', 'useast-1', 'us-east-1 ', 'global', 'unspecified', 'us_east_1']) {
    t.notOk(isRegionName(text), JSON.stringify(text))
  }
})
