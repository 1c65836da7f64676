// Statement IDs say what they grant, only in [A-Za-z0-9] whatever the resource names, unique, and the same
// on every run.
import { describe, expect, it } from 'vitest';
import { boundaryAllowSid, statementSid, uniqueSids } from '../../src/synthesis/sids.js';

const sid = (actions: string[], resources: string[], extra: Partial<Parameters<typeof statementSid>[0]> = {}): string =>
  statementSid({ actions, resources, levels: actions.map(() => 'Write'), kind: 'scoped', ...extra }, 'Fallback');

describe('statement Sids', () => {
  it('name the service, what is granted and on what', () => {
    const push = ['ecr:BatchCheckLayerAvailability', 'ecr:CompleteLayerUpload', 'ecr:InitiateLayerUpload', 'ecr:PutImage', 'ecr:UploadLayerPart'];
    expect(sid(push, ['arn:aws:ecr:us-east-1:123456789012:repository/demo-app'])).toBe('EcrPushDemoApp');
    const kms = { condition: { StringEquals: { 'kms:ViaService': ['secretsmanager.us-east-1.amazonaws.com'] } } };
    expect(sid(['kms:Decrypt'], ['arn:aws:kms:us-east-1:123456789012:key/2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e'], kms)).toBe('KmsDecryptViaSecretsManager');
    expect(sid(['logs:CreateLogStream', 'logs:PutLogEvents'], ['arn:aws:logs:us-east-1:123456789012:log-group:/aws/codebuild/demo-app:log-stream:*'])).toBe('LogsWriteDemoApp');
    expect(sid(['s3:PutObject'], ['arn:aws:s3:::demo-app-artifacts-123456789012/x/*', 'arn:aws:s3:::demo-app-artifacts-dr-123456789012/x/*'])).toBe('S3PutObjectDemoAppArtifacts');
    expect(sid(['ecr:GetAuthorizationToken'], ['*'], { kind: 'wildcard' })).toBe('EcrGetAuthorizationToken');
    expect(sid(['s3:GetObject'], ['*'], { kind: 'unknown' })).toBe('S3GetObjectAnyResource');
    expect(sid(['s3:GetObject', 'logs:GetLogEvents'], ['*'])).toBe('Fallback');
  });

  it('keep only letters and digits of hostile resource names', () => {
    const hostile = ['arn:aws:s3:::b"}],"Effect":"Deny<script>\u202E/k', 'arn:aws:ssm:us-east-1:1:parameter/${aws:username}/a b\n`x`'];
    for (const r of hostile) expect(sid(['s3:GetObject'], [r])).toMatch(/^[A-Za-z0-9]+$/);
  });

  it('number only collisions, and never onto a Sid that exists', () => {
    expect(uniqueSids(['A', 'B', 'A', 'A2', 'A'])).toEqual(['A', 'B', 'A3', 'A2', 'A4']);
  });

  it('boundary statements name their services', () => {
    expect(boundaryAllowSid(['ecr:*'])).toBe('AllowEcr');
    expect(boundaryAllowSid(['logs:*', 'codebuild:*'])).toBe('AllowCodeBuildLogs');
    expect(boundaryAllowSid(['a:*', 'b:*', 'c:*', 'd:*', 'e:*'])).toBe('AllowABCAnd2More');
  });
});
