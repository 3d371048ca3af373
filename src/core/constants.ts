/** Spellings more than one layer needs, each defined once under the name of what it is. */

export const MS_PER_SECOND = 1000
export const NS_PER_MS = 1e6
export const NS_PER_SECOND = 1e9

/** Separates the segments of a URL path, and starts an absolute one. */
export const URL_PATH_SEPARATOR = '/'
/** Ends a request target's path and starts its query. */
export const QUERY_START = '?'
/** Separates the parameters of a query. */
export const QUERY_PARAMETER_SEPARATOR = '&'
/** Separates a query parameter's name from its value. */
export const QUERY_NAME_VALUE_SEPARATOR = '='
/** HTTP/2 pseudo-headers (`:authority`, `:path` ...) begin with this. */
export const PSEUDO_HEADER_PREFIX = ':'
