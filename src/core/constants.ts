/** Spellings more than one layer needs, each defined once under the name of what it is. */

export const MS_PER_SECOND = 1000
export const NS_PER_MS = 1e6
export const NS_PER_SECOND = 1e9

// A request target is spelled `/segment/segment?name=value&name=value`.
export const URL_PATH_SEPARATOR = '/'
export const QUERY_START = '?'
export const QUERY_PARAMETER_SEPARATOR = '&'
export const QUERY_NAME_VALUE_SEPARATOR = '='

/** The `msg` of the audit log's one line per request: what the gateway writes and the `report` command reads. */
export const AUDIT_MESSAGE = 'bedrock request'

/** HTTP/2 pseudo-headers (`:authority`, `:path` ...) begin with this. */
export const PSEUDO_HEADER_PREFIX = ':'
