// Statement IDs a reviewer can read: service and access level (LogsWrite, S3Read), stable across runs.

const SERVICE_NAMES: Record<string, string> = {
  s3: 'S3', logs: 'Logs', ecr: 'ECR', kms: 'KMS', ssm: 'SSM', secretsmanager: 'SecretsManager', codebuild: 'CodeBuild',
  codecommit: 'CodeCommit', codeartifact: 'CodeArtifact', ec2: 'EC2', iam: 'IAM', sts: 'STS', lambda: 'Lambda',
  cloudformation: 'CloudFormation', dynamodb: 'DynamoDB', sqs: 'SQS', sns: 'SNS', ecs: 'ECS', eks: 'EKS',
  cloudwatch: 'CloudWatch', cloudfront: 'CloudFront', apigateway: 'APIGateway', states: 'StepFunctions', events: 'Events',
  route53: 'Route53', elasticloadbalancing: 'ELB', autoscaling: 'AutoScaling', rds: 'RDS', cloudtrail: 'CloudTrail',
  organizations: 'Organizations', 'ecr-public': 'ECRPublic', codepipeline: 'CodePipeline', codedeploy: 'CodeDeploy',
};

export function serviceLabel(service: string): string {
  return SERVICE_NAMES[service] ?? service.split(/[-_]/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

const LEVEL_ORDER = ['List', 'Read', 'Tagging', 'Write', 'Permissions management'];

/** "Read", "Write", or a combination such as "ReadWrite" for a statement that mixes levels. */
export function levelLabel(levels: Iterable<string>): string {
  const set = new Set([...levels].flatMap((l) => l.split(',').map((x) => x.trim())));
  const parts = LEVEL_ORDER.filter((l) => set.has(l)).map((l) => (l === 'Permissions management' ? 'Permissions' : l));
  return parts.join('') || 'Access';
}

/** Gives each statement a unique Sid, numbering repeats in statement order (LogsWrite, LogsWrite2). */
export function uniqueSids(bases: string[]): string[] {
  const seen = new Map<string, number>();
  return bases.map((b) => {
    const n = (seen.get(b) ?? 0) + 1;
    seen.set(b, n);
    return n === 1 ? b : `${b}${n}`;
  });
}
