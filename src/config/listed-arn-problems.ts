import type { ParsedArn } from '../bedrock/index.ts'
import type { RawConfig } from './schema.ts'

/** An ARN the allowlist names must itself sit inside the allowlist: an allowed partition and an allowed region. */
export function listedArnPlacementProblems (where: string, text: string, arn: ParsedArn, allow: RawConfig['allow']): string[] {
  const problems: string[] = []
  if (!allow.partitions.includes(arn.partition)) {
    problems.push(`${where}: ${JSON.stringify(text)} is in partition ${arn.partition}, which allow.partitions does not list`)
  }
  if (!allow.regions.includes(arn.region)) {
    problems.push(`${where}: ${JSON.stringify(text)} is in region ${arn.region}, which allow.regions does not list`)
  }
  return problems
}
