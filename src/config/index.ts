/** The config file: read, resolved, validated and defaulted; the routing catalog it may name. */

export { AWS_REGIONS } from './aws-regions.ts'
export { closestMatch } from './schema-problems.ts'
export { GLOBAL_WINDOW, MAX_MONITOR_DAYS, monitorEndMs, openMonitorWindows } from './enforcement.ts'
export type { MonitorWindow } from './enforcement.ts'
export { ConfigError } from './load-config.ts'
export { CONFIG_PATH_ENV, configPath, DEFAULT_CONFIG_PATH } from './load-config.ts'
export { loadConfig } from './load-config.ts'
export { configuredCatalog, destinationsFor, SHIPPED_CATALOG } from './routing-catalog.ts'
export type { PrefixRouting, RoutingCatalog } from './routing-catalog.ts'
export { CLIENT_NAME_PATTERN } from './schema.ts'
export type {
  Acknowledgement,
  AllowList,
  AwsCredentialsConfig,
  BearerClient,
  ClientConfig,
  EnforcementConfig,
  GeofenceConfig,
  LimitsConfig,
  ListenConfig,
  RoutedResourceRule,
  RoutingConfig,
  RoutingVerifyMode,
  SigV4Client,
  UpstreamConfig
} from './types.ts'
