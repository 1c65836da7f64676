// A project's configuration is text its editors choose: an ARN it names must have AWS's field shapes before it
// becomes a grant. A wildcard in the partition, service, region or account of a SECRETS_MANAGER reference
// would otherwise reach the policy as a pattern nobody observed (arn:*:secretsmanager:*:...:secret:db-??????).
import { describe, expect, it } from 'vitest';
import type { ProjectConfig } from '../../src/model.js';
import { inferFromProjects } from '../../src/project/infer.js';

const project = (type: 'SECRETS_MANAGER' | 'PARAMETER_STORE', value: string): ProjectConfig => ({
  name: 'app',
  arn: 'arn:aws:codebuild:us-east-1:123456789012:project/app',
  region: 'us-east-1',
  account: '123456789012',
  environment: { image: 'aws/codebuild/standard:7.0', environmentVariables: [{ name: 'V', value, type }] },
});

const HOSTILE = [
  'arn:*:secretsmanager:us-east-1:123456789012:secret:db',
  'arn:aws:secretsmanager:*:123456789012:secret:db',
  'arn:aws:secretsmanager:us-?ast-1:123456789012:secret:db',
  'arn:aws*:secretsmanager:us-east-1:123456789012:secret:db',
  'arn:aws:secretsmanager:us-east-1 :123456789012:secret:db',
  'arn:AWS:secretsmanager:us-east-1:123456789012:secret:db',
  'arn:aws:secretsmanager:us-east-1\n:123456789012:secret:db',
];

describe('project ARNs with hostile fields', () => {
  it.each(HOSTILE)('a SECRETS_MANAGER reference %j grants no secret', (value) => {
    const secrets = inferFromProjects([project('SECRETS_MANAGER', value)], 'aws').filter((f) => f.action === 'secretsmanager:GetSecretValue');
    expect(secrets.map((f) => f.resource)).toEqual([]);
  });

  it.each(HOSTILE.map((v) => v.replace('secretsmanager', 'ssm').replace('secret:db', 'parameter/db')))('a PARAMETER_STORE reference %j grants no parameter', (value) => {
    const params = inferFromProjects([project('PARAMETER_STORE', value)], 'aws').filter((f) => f.action.startsWith('ssm:'));
    expect(params.map((f) => f.resource)).toEqual([]);
  });

  it('a well-formed secret ARN still grants that secret', () => {
    const secrets = inferFromProjects([project('SECRETS_MANAGER', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db:password::')], 'aws');
    expect(secrets.filter((f) => f.action === 'secretsmanager:GetSecretValue').map((f) => f.resource)).toEqual([
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-??????',
    ]);
  });
});
