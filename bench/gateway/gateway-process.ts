/**
 * The gateway under test, as its own process: `bedrock-geofence serve` minus the config watcher, with fixed upstream
 * credentials instead of the AWS chain (nothing here may reach AWS). Its audit log goes to standard output, which the
 * bench discards, so each line still costs its write.
 *   node --import tsx bench/gateway/gateway-process.ts CONFIG_FILE
 */
import { loadServableConfig } from '../../src/server/servable-config.ts'
import { startGateway } from '../../src/server/serve.ts'
import { serveParent } from './child-ipc.ts'
import { UPSTREAM_CREDENTIALS } from './workload.ts'

const configFile = process.argv[2]
if (configFile === undefined) throw new Error('usage: gateway-process.ts CONFIG_FILE')
const config = await loadServableConfig(configFile, process.env)
const running = await startGateway(config, { credentialProvider: async () => UPSTREAM_CREDENTIALS })
serveParent(running.url, () => running.shutdown())
