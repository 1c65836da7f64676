// A tiny trail for CLI tests: three builds of one project (log streams named by the build, artifact keys
// with build numbers, a KMS call made through S3) and one denied call, in one S3-layout file name.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const MINI_ROLE = 'arn:aws:iam::123456789012:role/service-role/cb-role';

/** One record of the role in build i (a CodeBuild session named by the build ID). */
export function rec(i: number, source: string, name: string, req: Record<string, unknown> | null, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const build = `${String(i).padStart(8, '0')}-1111-2222-3333-444444444444`;
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole',
      arn: `arn:aws:sts::123456789012:assumed-role/cb-role/AWSCodeBuild-${build}`,
      accountId: '123456789012',
      sessionContext: { sessionIssuer: { type: 'Role', arn: MINI_ROLE, accountId: '123456789012' } },
    },
    eventTime: `2024-03-01T10:0${i}:00Z`,
    eventSource: source,
    eventName: name,
    awsRegion: 'us-east-1',
    requestParameters: req,
    eventID: `ev-${name}-${i}`,
    eventType: 'AwsApiCall',
    recipientAccountId: '123456789012',
    ...extra,
  };
}

export function miniTrail(): string {
  const d = mkdtempSync(join(tmpdir(), 'cbiam-mini-'));
  const key = 'arn:aws:kms:us-east-1:123456789012:key/1f0e4c2a-7a9b-4d3e-9c1b-2a3b4c5d6e7f';
  const records = [1, 2, 3].flatMap((i) => {
    const build = `${String(i).padStart(8, '0')}-1111-2222-3333-444444444444`;
    return [
      rec(i, 'logs.amazonaws.com', 'CreateLogStream', { logGroupName: '/aws/codebuild/app', logStreamName: build }),
      rec(i, 's3.amazonaws.com', 'PutObject', { bucketName: 'artifacts', key: `app/build-${i}/app.zip` }),
      rec(i, 'ecr.amazonaws.com', 'GetAuthorizationToken', { registryIds: ['123456789012'] }),
      rec(i, 'kms.amazonaws.com', 'GenerateDataKey', { keyId: 'alias/aws/s3' }, {
        resources: [{ ARN: key, type: 'AWS::KMS::Key' }],
        userIdentity: { ...(rec(i, '', '', null).userIdentity as object), invokedBy: 's3.amazonaws.com' },
      }),
    ];
  });
  records.push(rec(4, 's3.amazonaws.com', 'PutObject', { bucketName: 'prod', key: 'index.html' }, { errorCode: 'AccessDenied' }));
  writeFileSync(join(d, '123456789012_CloudTrail_us-east-1_20240301T1010Z_abcdefghijklmnop.json.gz'), gzipSync(JSON.stringify({ Records: records })));
  return d;
}
