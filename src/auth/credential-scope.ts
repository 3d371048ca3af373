import { PATH_SEPARATOR, SCOPE_TERMINATOR } from './constants.ts'

/** `20150830/us-east-1/service/aws4_request`: what a signature is valid for, repeated in the string to sign. */
export function credentialScope (date: string, region: string, service: string): string {
  return date + PATH_SEPARATOR + region + PATH_SEPARATOR + service + PATH_SEPARATOR + SCOPE_TERMINATOR
}
