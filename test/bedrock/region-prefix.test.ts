import t from 'tap'
import { splitRegionPrefix } from '../../src/bedrock/region-prefix.ts'

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
