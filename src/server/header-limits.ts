/** The most request-header bytes the gateway reads, for HTTP/1.1 and HTTP/2 alike. */
export const MAX_HEADER_BYTES = 32 * 1024

/**
 * Header fields one request may carry (HTTP/2 pseudo-headers included). HTTP/2 refuses a stream past it (node's
 * default is 128). HTTP/1.1's parser, left at its default, keeps the first 2,000 and drops the rest without a word;
 * given a limit explicitly, it refuses the request instead (HPE_HEADER_OVERFLOW, answered 431).
 */
export const MAX_HEADER_FIELDS = 256
