/**
 * bin/bedrock-geofence.js, run from the sources instead of dist/ (`node --import tsx test/support/source-launcher.ts
 * serve ...`): the same two lines, so a test exercises the real process (signals, exit code) on the code under test
 * without depending on a build being fresh.
 */
import { main } from '../../src/cli/main.ts'

process.exitCode = await main(process.argv.slice(2))
