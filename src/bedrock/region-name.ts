/**
 * The shape of an AWS region name (`eu-west-2`, `us-gov-west-1`, `us-isob-east-1`, and the European Sovereign Cloud's
 * `eusc-de-east-1`). A syntax check only: whether a region is allowed is the allowlist's business, never this pattern's.
 */
const AWS_REGION_NAME = /^(?:[a-z]{2}(?:-gov|-iso[a-z]?)?|eusc-[a-z]{2})-[a-z]+-\d$/

export function isRegionName (text: string): boolean {
  return AWS_REGION_NAME.test(text)
}
