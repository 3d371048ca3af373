import { BedrockError } from '../core/errors.ts'
import { isRegionName } from '../bedrock/region-name.ts'
import { SCOPE_DATE_LENGTH, SCOPE_TERMINATOR } from './constants.ts'
import { scopeDateMismatch, scopeRegionInvalid, scopeServiceWrong, scopeTerminatorWrong } from './messages.ts'
import type { CredentialScope } from './types.ts'

/**
 * The scope must name a region, this service, the aws4_request terminator and the day of x-amz-date. Like AWS, all
 * problems are reported at once, in one InvalidSignatureException. Whether the region is allowed is not decided
 * here: the scope's region is the requested region, and the policy engine judges it.
 */
export function checkCredentialScope (scope: CredentialScope, amzDate: string, service: string): void {
  const problems: string[] = []
  if (!isRegionName(scope.region)) problems.push(scopeRegionInvalid(scope.region))
  if (scope.service !== service) problems.push(scopeServiceWrong(service))
  if (scope.terminator !== SCOPE_TERMINATOR) problems.push(scopeTerminatorWrong(scope.terminator))
  const amzDay = amzDate.slice(0, SCOPE_DATE_LENGTH)
  if (scope.date !== amzDay) problems.push(scopeDateMismatch(scope.date, amzDate, amzDay))
  if (problems.length > 0) throw new BedrockError('InvalidSignatureException', problems.join(' '))
}
