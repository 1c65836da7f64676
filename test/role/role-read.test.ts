import { IAMClient } from '@aws-sdk/client-iam';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsFailure, InvalidInput, NotFound } from '../../src/errors.js';
import { decodePolicyDocument, readRole, roleNameOf } from '../../src/role/read-role.js';
import { startAwsEndpoint, type AwsEndpoint } from '../support/aws-endpoint.js';
import { iamHandler, type FakeAccount } from '../cases/diff/support/fake-iam.js';

const ARN = 'arn:aws:iam::123456789012:role/service-role/cb-role';
const BOUNDARY = 'arn:aws:iam::123456789012:policy/cb-boundary';
const doc = (action: string, resource = '*') => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: resource }] });

function account(extra: Partial<FakeAccount> = {}): FakeAccount {
  const inline: Record<string, object> = {};
  // Five inline and five managed policies with a page size of 2: three pages each.
  for (let i = 0; i < 5; i++) inline[`inline-${i}`] = doc(`s3:GetObject${i === 0 ? '' : 'Version'}`, `arn:aws:s3:::b${i}/a b+c%?/*`);
  const managed: FakeAccount['roles'][0]['managed'] = {};
  for (let i = 0; i < 5; i++) {
    managed[`arn:aws:iam::123456789012:policy/m${i}`] = {
      name: `m${i}`,
      defaultVersion: 'v2',
      versions: { v1: doc('iam:*'), v2: doc(`logs:CreateLogStream`, `arn:aws:logs:us-east-1:123456789012:log-group:/g${i}:*`) },
    };
  }
  return {
    roles: [
      {
        name: 'cb-role',
        arn: ARN,
        trust: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'codebuild.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
        inline,
        managed,
        boundaryArn: BOUNDARY,
      },
    ],
    policies: { [BOUNDARY]: { name: 'cb-boundary', defaultVersion: 'v1', versions: { v1: doc('s3:*') } } },
    ...extra,
  };
}

let endpoint: AwsEndpoint | undefined;
afterEach(async () => {
  await endpoint?.close();
  endpoint = undefined;
});

async function client(acc: FakeAccount): Promise<IAMClient> {
  endpoint = await startAwsEndpoint(iamHandler(acc));
  return new IAMClient({
    endpoint: endpoint.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
  });
}

describe('readRole', () => {
  it('reads trust, every inline and managed policy across pages, and the boundary', async () => {
    const iam = await client(account());
    const role = await readRole(iam, ARN);
    expect(role.roleArn).toBe(ARN);
    expect(role.trust.Statement[0].Principal).toEqual({ Service: 'codebuild.amazonaws.com' });
    expect(role.inline.map((p) => p.name)).toEqual(['inline-0', 'inline-1', 'inline-2', 'inline-3', 'inline-4']);
    // URL-decoding keeps spaces, plus signs and percent signs as written.
    expect(role.inline[0].document.Statement[0].Resource).toBe('arn:aws:s3:::b0/a b+c%?/*');
    expect(role.managed).toHaveLength(5);
    expect(role.managed.every((m) => m.versionId === 'v2')).toBe(true);
    expect(role.managed[3].document.Statement[0].Action).toBe('logs:CreateLogStream');
    expect(role.boundary).toEqual({ arn: BOUNDARY, document: doc('s3:*') });
    const ops = endpoint!.requests.map((r) => r.operation);
    expect(ops.filter((o) => o === 'ListRolePolicies')).toHaveLength(3);
    expect(ops.filter((o) => o === 'ListAttachedRolePolicies')).toHaveLength(3);
    expect(ops.filter((o) => o === 'GetPolicyVersion')).toHaveLength(6);
    // The role is always addressed by its name, even when an ARN with a path was given.
    expect(endpoint!.requests.find((r) => r.operation === 'GetRole')!.body.RoleName).toBe('cb-role');
    // The second page asks with the marker of the first.
    const markers = endpoint!.requests.filter((r) => r.operation === 'ListRolePolicies').map((r) => r.body.Marker);
    expect(markers).toEqual([undefined, 'm2', 'm4']);
  });

  it('reads a role without a boundary or policies', async () => {
    const acc = account();
    acc.roles[0] = { ...acc.roles[0], inline: {}, managed: {}, boundaryArn: undefined };
    const role = await readRole(await client(acc), 'cb-role');
    expect(role.inline).toEqual([]);
    expect(role.managed).toEqual([]);
    expect(role.boundary).toBeUndefined();
  });

  it('names the missing role as an input error', async () => {
    const iam = await client(account());
    const err = await readRole(iam, 'nope').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFound);
    expect((err as Error).message).toContain('"nope"');
  });

  it('names the IAM permission it lacks when AWS denies a call', async () => {
    const iam = await client(account({ deny: ['ListAttachedRolePolicies'] }));
    const err = await readRole(iam, 'cb-role').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AwsFailure);
    expect((err as Error).message).toContain('iam:ListAttachedRolePolicies');
    const err2 = await readRole(await client(account({ deny: ['GetRole'] })), 'cb-role').catch((e: unknown) => e);
    expect((err2 as Error).message).toContain('iam:GetRole');
  });

  it('reports other AWS failures as runtime failures', async () => {
    const acc = account();
    acc.policies = {};
    const err = await readRole(await client(acc), 'cb-role').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AwsFailure);
    expect((err as Error).message).toContain(BOUNDARY);
  });
});

describe('role helpers', () => {
  it('takes the name from an ARN with or without a path', () => {
    expect(roleNameOf(ARN)).toBe('cb-role');
    expect(roleNameOf('arn:aws:iam::123456789012:role/cb-role')).toBe('cb-role');
    expect(roleNameOf('cb-role')).toBe('cb-role');
    expect(() => roleNameOf('arn:aws:iam::123456789012:user/x')).toThrow(InvalidInput);
  });

  it('decodes URL-encoded and plain documents and wraps a lone statement', () => {
    const d = { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' } };
    expect(decodePolicyDocument(encodeURIComponent(JSON.stringify(d)), 'x').Statement).toHaveLength(1);
    expect(decodePolicyDocument(JSON.stringify(d), 'x').Statement).toHaveLength(1);
    expect(() => decodePolicyDocument('%7Bnot', 'x')).toThrow(AwsFailure);
  });
});
