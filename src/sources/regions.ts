// Where CloudTrail delivers the events of the global services (IAM, STS's global endpoint, CloudFront): one
// region per partition. Every source that narrows by region adds it, or the role's IAM and STS calls vanish.

export function globalRegion(partition: string | undefined): string {
  if (partition === 'aws-cn') return 'cn-north-1';
  if (partition === 'aws-us-gov') return 'us-gov-west-1';
  return 'us-east-1';
}

/** The regions given plus the partition's global-events region, sorted and unique. */
export function withGlobalRegion(regions: readonly string[], partition: string | undefined): string[] {
  return [...new Set([...regions, globalRegion(partition)])].sort();
}
