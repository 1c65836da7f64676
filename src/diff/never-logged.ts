// Actions whose use CloudTrail cannot show in a default trail, so "allowed but never seen" says nothing
// about whether a build needs them. They are marked "unknown", never "unused".
import { actionMatches } from '../iam/glob.js';

export interface NeverLogged {
  /** An action or an action pattern. */
  action: string;
  reason: string;
}

const S3_DATA = 'S3 object-level call: a data event, not logged by default and never in Event history';
const DDB_DATA = 'DynamoDB item call: a data event, not logged by default';

export const NEVER_LOGGED: readonly NeverLogged[] = [
  { action: 'logs:PutLogEvents', reason: 'CloudWatch Logs does not record PutLogEvents in CloudTrail management events' },
  { action: 'iam:PassRole', reason: 'an authorization check made inside another call, not an API call of its own' },
  { action: 'sts:GetServiceBearerToken', reason: 'checked implicitly by CodeArtifact GetAuthorizationToken, never an event of its own' },
  { action: 'codeartifact:ReadFromRepository', reason: 'an authorization-only permission checked by package downloads, no API call' },
  { action: 'codebuild:CreateReport', reason: 'called by the CodeBuild service for report groups, not by the build session' },
  { action: 'codebuild:UpdateReport', reason: 'called by the CodeBuild service for report groups, not by the build session' },
  { action: 'codebuild:BatchPutTestCases', reason: 'called by the CodeBuild service for test reports, not by the build session' },
  { action: 'codebuild:BatchPutCodeCoverages', reason: 'called by the CodeBuild service for coverage reports, not by the build session' },
  { action: 's3:GetObject*', reason: S3_DATA },
  { action: 's3:PutObject*', reason: S3_DATA },
  { action: 's3:DeleteObject*', reason: S3_DATA },
  { action: 's3:AbortMultipartUpload', reason: S3_DATA },
  { action: 's3:ListMultipartUploadParts', reason: S3_DATA },
  { action: 's3:RestoreObject', reason: S3_DATA },
  { action: 'lambda:InvokeFunction', reason: 'Lambda Invoke is a data event, not logged by default' },
  { action: 'dynamodb:GetItem', reason: DDB_DATA },
  { action: 'dynamodb:PutItem', reason: DDB_DATA },
  { action: 'dynamodb:UpdateItem', reason: DDB_DATA },
  { action: 'dynamodb:DeleteItem', reason: DDB_DATA },
  { action: 'dynamodb:Query', reason: DDB_DATA },
  { action: 'dynamodb:Scan', reason: DDB_DATA },
  { action: 'dynamodb:BatchGetItem', reason: DDB_DATA },
  { action: 'dynamodb:BatchWriteItem', reason: DDB_DATA },
  { action: 'dynamodb:ConditionCheckItem', reason: DDB_DATA },
];

/** Why CloudTrail would not show `action`, or undefined when it would. */
export function neverLoggedReason(action: string): string | undefined {
  return NEVER_LOGGED.find((n) => actionMatches(n.action, action))?.reason;
}
