/** The leaf layer: the errors the gateway answers with, the reason codes and decisions, and shared spellings. Imports nothing. */

export {
  AUDIT_MESSAGE,
  MS_PER_SECOND,
  NS_PER_MS,
  NS_PER_SECOND,
  PSEUDO_HEADER_PREFIX,
  QUERY_NAME_VALUE_SEPARATOR,
  QUERY_PARAMETER_SEPARATOR,
  QUERY_START,
  URL_PATH_SEPARATOR
} from './constants.ts'
export { allow, ALLOWLIST_REASONS, deny, REASON_CODES, REQUEST_DECISIONS } from './decision.ts'
export type { Decision, ReasonCode, RequestDecision } from './decision.ts'
export type { BedrockErrorName } from './errors.ts'
export {
  BedrockError,
  decisionError,
  ERROR_TYPE_HEADER,
  internalError,
  JSON_CONTENT_TYPE,
  malformedRequestError,
  REQUEST_ID_HEADER,
  toWireError
} from './errors.ts'
