import t from 'tap'
import { isRegionName, splitRegionPrefix } from '../../src/bedrock/regions.ts'
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

t.test('a leading region segment is taken as the requested region and stripped', async (t) => {
  t.same(splitRegionPrefix('/eu-west-2/model/x.y/converse'), { region: 'eu-west-2', target: '/model/x.y/converse' })
  t.same(splitRegionPrefix('/us-gov-west-1/async-invoke?maxResults=1'), { region: 'us-gov-west-1', target: '/async-invoke?maxResults=1' })
  t.same(splitRegionPrefix('/us-isob-east-1/model/x.y/invoke'), { region: 'us-isob-east-1', target: '/model/x.y/invoke' })
})

t.test('a region alone leaves the root path, keeping any query', async (t) => {
  t.same(splitRegionPrefix('/ap-southeast-4'), { region: 'ap-southeast-4', target: '/' })
  t.same(splitRegionPrefix('/ap-southeast-4?x=1'), { region: 'ap-southeast-4', target: '/?x=1' })
})

t.test('paths without a region prefix are left alone', async (t) => {
  t.same(splitRegionPrefix('/model/us.anthropic.x/invoke'), { target: '/model/us.anthropic.x/invoke' })
  t.same(splitRegionPrefix('/async-invoke'), { target: '/async-invoke' })
  t.same(splitRegionPrefix('/guardrail-checks/invoke'), { target: '/guardrail-checks/invoke' })
})

t.test('only one prefix is stripped: a second region segment stays in the target', async (t) => {
  t.same(splitRegionPrefix('/eu-west-2/us-east-1/model/x.y/invoke'), { region: 'eu-west-2', target: '/us-east-1/model/x.y/invoke' })
})

t.test('look-alikes are not regions', async (t) => {
  for (const target of ['/EU-WEST-2/model/x.y/invoke', '/eu%2Dwest-2/model/x.y/invoke', '/eu-west-22/model/x.y/invoke', '/eu-west/model/x.y/invoke', 'eu-west-2/model/x.y/invoke']) {
    t.same(splitRegionPrefix(target), { target }, target)
  }
})
