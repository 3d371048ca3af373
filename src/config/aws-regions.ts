/**
 * Every AWS region, by partition. Source: the endpoint partition data shipped in @aws-sdk/core 3.981
 * (util-endpoints partitions.json), November 2026; the `*-global` pseudo-regions are left out because no
 * Bedrock request is ever signed for them. A region AWS opens later needs a line here before config accepts it.
 */
export const AWS_PARTITIONS = [
  'aws',
  'aws-cn',
  'aws-us-gov',
  'aws-eusc',
  'aws-iso',
  'aws-iso-b',
  'aws-iso-e',
  'aws-iso-f'
] as const

export type AwsPartition = (typeof AWS_PARTITIONS)[number]

export const DEFAULT_PARTITION: AwsPartition = 'aws'

export const AWS_REGION_PARTITION: Readonly<Record<string, AwsPartition>> = {
  'af-south-1': 'aws',
  'ap-east-1': 'aws',
  'ap-east-2': 'aws',
  'ap-northeast-1': 'aws',
  'ap-northeast-2': 'aws',
  'ap-northeast-3': 'aws',
  'ap-south-1': 'aws',
  'ap-south-2': 'aws',
  'ap-southeast-1': 'aws',
  'ap-southeast-2': 'aws',
  'ap-southeast-3': 'aws',
  'ap-southeast-4': 'aws',
  'ap-southeast-5': 'aws',
  'ap-southeast-6': 'aws',
  'ap-southeast-7': 'aws',
  'ca-central-1': 'aws',
  'ca-west-1': 'aws',
  'eu-central-1': 'aws',
  'eu-central-2': 'aws',
  'eu-north-1': 'aws',
  'eu-south-1': 'aws',
  'eu-south-2': 'aws',
  'eu-west-1': 'aws',
  'eu-west-2': 'aws',
  'eu-west-3': 'aws',
  'il-central-1': 'aws',
  'me-central-1': 'aws',
  'me-south-1': 'aws',
  'me-west-1': 'aws',
  'mx-central-1': 'aws',
  'sa-east-1': 'aws',
  'sa-west-1': 'aws',
  'us-east-1': 'aws',
  'us-east-2': 'aws',
  'us-west-1': 'aws',
  'us-west-2': 'aws',
  'cn-north-1': 'aws-cn',
  'cn-northwest-1': 'aws-cn',
  'us-gov-east-1': 'aws-us-gov',
  'us-gov-west-1': 'aws-us-gov',
  'eusc-de-east-1': 'aws-eusc',
  'us-iso-east-1': 'aws-iso',
  'us-iso-west-1': 'aws-iso',
  'us-isob-east-1': 'aws-iso-b',
  'us-isob-west-1': 'aws-iso-b',
  'eu-isoe-west-1': 'aws-iso-e',
  'us-isof-east-1': 'aws-iso-f',
  'us-isof-south-1': 'aws-iso-f'
}

export const AWS_REGIONS: readonly string[] = Object.keys(AWS_REGION_PARTITION)
