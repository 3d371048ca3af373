import t from 'tap'
import { configPath } from '../../src/config/config-path.ts'

t.test('--config wins over the environment', async (t) => {
  t.equal(configPath('/etc/a.yaml', { GEOFENCE_CONFIG: '/etc/b.yaml' }), '/etc/a.yaml')
})

t.test('$GEOFENCE_CONFIG is used without --config', async (t) => {
  t.equal(configPath(undefined, { GEOFENCE_CONFIG: '/etc/b.yaml' }), '/etc/b.yaml')
})

t.test('the shipped file is the default', async (t) => {
  t.equal(configPath(undefined, {}), 'config/geofence.yaml')
  t.equal(configPath(undefined, { GEOFENCE_CONFIG: '' }), 'config/geofence.yaml')
})
