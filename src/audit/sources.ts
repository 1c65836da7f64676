// Where each check comes from: AWS documentation, the Security Hub control, the AWS Config managed rule, the
// Control Tower proactive control, the Prowler check (facts as of 2026-12-04; see docs/audit.md).
import type { Citation } from './model.js';

const CB = 'https://docs.aws.amazon.com/codebuild/latest/userguide';
const SH = 'https://docs.aws.amazon.com/securityhub/latest/userguide/codebuild-controls.html';
const CONFIG = 'https://docs.aws.amazon.com/config/latest/developerguide';

export const doc = (title: string, url: string): Citation => ({ title, url });
export const securityHub = (control: string): Citation => ({ title: `Security Hub ${control}`, url: `${SH}#${control.toLowerCase().replace('.', '-')}` });
export const configRule = (rule: string): Citation => ({ title: `AWS Config rule ${rule}`, url: `${CONFIG}/${rule}.html` });
export const controlTower = (control: string): Citation => ({ title: `Control Tower ${control}` });
export const prowler = (check: string): Citation => ({ title: `Prowler ${check}` });

export const DOCS = {
  vpc: doc('CodeBuild user guide: Use CodeBuild with Amazon VPC', `${CB}/vpc-support.html`),
  vpcEndpoints: doc('CodeBuild user guide: Use VPC endpoints', `${CB}/use-vpc-endpoints-with-codebuild.html`),
  privateLink: doc('AWS PrivateLink: AWS services that integrate with PrivateLink', 'https://docs.aws.amazon.com/vpc/latest/privatelink/aws-services-privatelink-support.html'),
  sgRules: doc('Amazon VPC user guide: security group rules', 'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html'),
  serviceRole: doc('CodeBuild user guide: Allow CodeBuild to interact with other AWS services', `${CB}/setting-up-service-role.html`),
  boundary: doc('IAM user guide: Permissions boundaries for IAM entities', 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html'),
  confusedDeputy: doc('IAM user guide: The confused deputy problem', 'https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html'),
  leastPrivilege: doc('IAM user guide: Security best practices (least privilege)', 'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html'),
  envVars: doc('CodeBuild API reference: EnvironmentVariable', 'https://docs.aws.amazon.com/codebuild/latest/APIReference/API_EnvironmentVariable.html'),
  dataEncryption: doc('CodeBuild user guide: Data encryption', `${CB}/security-encryption.html`),
  privileged: doc('CodeBuild API reference: ProjectEnvironment.privilegedMode', 'https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ProjectEnvironment.html'),
  images: doc('CodeBuild user guide: Docker images provided by CodeBuild', `${CB}/build-env-ref-available.html`),
  ecrScanning: doc('Amazon ECR user guide: Scan images for software vulnerabilities', 'https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning.html'),
  webhooks: doc('CodeBuild user guide: Best practices for using webhooks', `${CB}/webhooks.html#webhook-best-practices`),
  webhookFilter: doc('CodeBuild API reference: WebhookFilter', 'https://docs.aws.amazon.com/codebuild/latest/APIReference/API_WebhookFilter.html'),
  publicBuilds: doc('CodeBuild user guide: Public build projects', `${CB}/public-builds.html`),
  logs: doc('CodeBuild API reference: LogsConfig', 'https://docs.aws.amazon.com/codebuild/latest/APIReference/API_LogsConfig.html'),
  trailSelectors: doc('CloudTrail user guide: Logging data events', 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html'),
  trailManagement: doc('CloudTrail user guide: Logging management events', 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-management-events-with-cloudtrail.html'),
  metrics: doc('CodeBuild user guide: CodeBuild CloudWatch metrics (FailedBuilds)', `${CB}/cloudwatch_metrics-codebuild.html`),
  // Disclosed by Wiz Research; cited by name, as Prowler's check does.
  codebreach: { title: 'Wiz Research: "CodeBreach", unanchored ACTOR_ACCOUNT_ID webhook filters' },
} as const;
