// A trail whose records carry everything a request context is built from: principal IDs, source addresses,
// user agents, session attributes, an S3 upload with its encryption header, a KMS call S3 made on the role's
// behalf (invokedBy), a call without a resource, and TLS details. For the verify context tests.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const CTX_ACCOUNT = '123456789012';
export const CTX_ROLE = `arn:aws:iam::${CTX_ACCOUNT}:role/service-role/cb-role`;
export const CTX_ROLE_ID = 'AROAEXAMPLEROLEID1234';
export const CTX_IP = '203.0.113.10';
export const CTX_KEY = `arn:aws:kms:us-east-1:${CTX_ACCOUNT}:key/1f0e4c2a-7a9b-4d3e-9c1b-2a3b4c5d6e7f`;

type Json = Record<string, unknown>;

function identity(build: string, invokedBy?: string): Json {
  const session = `AWSCodeBuild-${build}`;
  return {
    type: 'AssumedRole',
    principalId: `${CTX_ROLE_ID}:${session}`,
    arn: `arn:aws:sts::${CTX_ACCOUNT}:assumed-role/cb-role/${session}`,
    accountId: CTX_ACCOUNT,
    accessKeyId: 'ASIAEXAMPLEEXAMPLE12',
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: CTX_ROLE_ID, arn: CTX_ROLE, accountId: CTX_ACCOUNT, userName: 'cb-role' },
      attributes: { creationDate: '2024-03-01T09:59:00Z', mfaAuthenticated: 'false' },
    },
    ...(invokedBy ? { invokedBy } : {}),
  };
}

function rec(i: number, minute: number, source: string, name: string, req: Json | null, extra: Json = {}): Json {
  const build = `${String(i).padStart(8, '0')}-1111-2222-3333-444444444444`;
  const invokedBy = extra.invokedBy as string | undefined;
  delete extra.invokedBy;
  return {
    eventVersion: '1.09',
    userIdentity: identity(build, invokedBy),
    eventTime: `2024-03-0${i}T10:${String(minute).padStart(2, '0')}:00Z`,
    eventSource: source,
    eventName: name,
    awsRegion: 'us-east-1',
    sourceIPAddress: invokedBy ?? CTX_IP,
    userAgent: invokedBy ?? 'aws-cli/2.15.0 md/codebuild',
    requestParameters: req,
    responseElements: null,
    eventID: `ev-${name}-${i}`,
    eventType: 'AwsApiCall',
    recipientAccountId: CTX_ACCOUNT,
    tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: `${source}` },
    ...extra,
  };
}

/** Two builds a day apart, each: a log stream, an encrypted upload (with its KMS data key via S3), an ECR token. */
export function contextTrail(): string {
  const d = mkdtempSync(join(tmpdir(), 'cbiam-ctx-'));
  const records = [1, 2].flatMap((i) => {
    const build = `${String(i).padStart(8, '0')}-1111-2222-3333-444444444444`;
    const key = `app/build-${i}/app.zip`;
    return [
      rec(i, 1, 'logs.amazonaws.com', 'CreateLogStream', { logGroupName: '/aws/codebuild/app', logStreamName: build }),
      rec(i, 2, 's3.amazonaws.com', 'PutObject', { bucketName: 'artifacts', key, Host: 'artifacts.s3.amazonaws.com', 'x-amz-server-side-encryption': 'aws:kms' }, {
        additionalEventData: { SignatureVersion: 'SigV4', AuthenticationMethod: 'AuthHeader', 'x-amz-id-2': 'x' },
        resources: [
          { type: 'AWS::S3::Object', ARN: `arn:aws:s3:::artifacts/${key}` },
          { accountId: CTX_ACCOUNT, type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::artifacts' },
        ],
        readOnly: false,
        eventCategory: 'Data',
      }),
      rec(i, 2, 'kms.amazonaws.com', 'GenerateDataKey', { keyId: CTX_KEY, keySpec: 'AES_256', encryptionContext: { 'aws:s3:arn': `arn:aws:s3:::artifacts/${key}` } }, {
        invokedBy: 's3.amazonaws.com',
        resources: [{ accountId: CTX_ACCOUNT, type: 'AWS::KMS::Key', ARN: CTX_KEY }],
      }),
      rec(i, 3, 'ecr.amazonaws.com', 'GetAuthorizationToken', {}),
    ];
  });
  writeFileSync(join(d, `${CTX_ACCOUNT}_CloudTrail_us-east-1_20240301T1010Z_ctxctxctxctxctxc.json.gz`), gzipSync(JSON.stringify({ Records: records })));
  return d;
}

/** An identity policy that allows every observed call (and the implied log writes). */
export function allowAll(): Json {
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Logs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `arn:aws:logs:us-east-1:${CTX_ACCOUNT}:log-group:/aws/codebuild/app:log-stream:*` },
      { Sid: 'Put', Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::artifacts/app/*' },
      { Sid: 'Key', Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: CTX_KEY },
      { Sid: 'Token', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
    ],
  };
}
