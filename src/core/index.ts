/** The leaf layer: the errors the gateway answers with, the reason codes and decisions, and shared spellings. Imports nothing. */

export {
  MS_PER_SECOND,
  NS_PER_MS,
  NS_PER_SECOND,
  PSEUDO_HEADER_PREFIX,
  QUERY_NAME_VALUE_SEPARATOR,
  QUERY_PARAMETER_SEPARATOR,
  QUERY_START,
  URL_PATH_SEPARATOR
} from './constants.ts'
export { allow, deny, REASON_CODES } from './decision.ts'
export type { Decision, ReasonCode } from './decision.ts'
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
