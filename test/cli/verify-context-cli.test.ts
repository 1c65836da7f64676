// Issue 18 as CLI runs: every "wrongly passes" Deny of the issue makes `verify` exit 1, every "wrongly fails"
// one exits 0, keys the records cannot tell make it exit 1 naming them, --assume decides them, and --scp
// applies SCPs as Deny-only guardrails. Each case is a spawned CLI with its exit code and stderr asserted.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allowAll, contextTrail, CTX_ACCOUNT, CTX_IP, CTX_ROLE } from '../support/context-trail.js';
import { runCli } from '../support/run-cli.js';

const logs = contextTrail();
const dir = mkdtempSync(join(tmpdir(), 'cbiam-ctx-policies-'));
let n = 0;

function file(doc: unknown): string {
  const path = join(dir, `doc-${n++}.json`);
  writeFileSync(path, JSON.stringify(doc));
  return path;
}

/** The allow-all policy plus one Deny statement on the upload with the given condition. */
function withDeny(condition: Record<string, Record<string, unknown>>, action: string | string[] = 's3:PutObject'): string {
  const p = allowAll() as { Statement: unknown[] };
  p.Statement.push({ Sid: 'Guard', Effect: 'Deny', Action: action, Resource: '*', Condition: condition });
  return file(p);
}

function verify(policy: string, ...extra: string[]) {
  return runCli(['verify', '--policy', policy, '--logs', logs, '--role', CTX_ROLE, '--quiet', ...extra]);
}

const WRONGLY_PASSES: Array<[string, Record<string, Record<string, unknown>>]> = [
  ['aws:PrincipalArn', { StringEquals: { 'aws:PrincipalArn': CTX_ROLE } }],
  ['aws:PrincipalAccount', { StringEquals: { 'aws:PrincipalAccount': CTX_ACCOUNT } }],
  ['aws:PrincipalType', { StringEquals: { 'aws:PrincipalType': 'AssumedRole' } }],
  ['aws:userid', { StringLike: { 'aws:userid': 'AROA*' } }],
  ['aws:CurrentTime', { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } }],
  ['aws:EpochTime', { NumericGreaterThan: { 'aws:EpochTime': '1' } }],
  ['aws:SourceIp', { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } }],
  ['aws:ViaAWSService', { Bool: { 'aws:ViaAWSService': 'false' } }],
  ['s3:x-amz-server-side-encryption', { StringEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } }],
  ['Null s3:x-amz-server-side-encryption', { Null: { 's3:x-amz-server-side-encryption': 'false' } }],
];

describe('verify decides with the request context (issue 18)', () => {
  it('the allow-all policy passes (exit 0), counting each distinct request once', () => {
    const r = verify(file(allowAll()));
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stderr).toBe('');
    // 2 log streams + 2 uploads + 1 data key (the encryption contexts differ only in the records) + 1 token = 6
    // observed, and 2 implied log writes.
    expect(r.stdout).toMatch(/^8 distinct request\(s\) \(6 observed, 0 inferred, 2 implied; \d+ event\(s\)\)/);
    expect(r.stdout).toMatch(/0 denied, 0 undecided/);
  });

  for (const [name, condition] of WRONGLY_PASSES) {
    it(`a Deny on ${name} that the requests meet makes verify exit 1`, () => {
      const r = verify(withDeny(condition));
      expect(r.code, r.stdout).toBe(1);
      expect(r.stderr).toMatch(/^codebuild-iam: 2 request\(s\) would be denied\n$/);
      expect(r.stdout).toMatch(/DENIED s3:PutObject on arn:aws:s3:::artifacts\/app\/build-1\/app.zip in us-east-1 \(observed.*explicitly denied by identity document 0 statement 4 \(Sid "Guard"\)/);
    });
  }

  it('all of the issue\'s conditions in one Deny: denied once the organization is assumed', () => {
    const all: Record<string, Record<string, unknown>> = {};
    for (const [, c] of WRONGLY_PASSES.filter(([k]) => !k.startsWith('Null'))) {
      for (const [op, block] of Object.entries(c)) all[op] = { ...(all[op] ?? {}), ...block };
    }
    all.Null = { 's3:x-amz-server-side-encryption': 'false' };
    all.StringEquals = { ...all.StringEquals, 'aws:PrincipalOrgID': 'o-abc123' };
    const policy = withDeny(all);
    const undecided = verify(policy);
    expect(undecided.code).toBe(1);
    expect(undecided.stderr).toMatch(/^codebuild-iam: 2 request\(s\) depend on keys the records cannot tell \(aws:PrincipalOrgID\); give them with --assume KEY=VALUE\n$/);
    expect(undecided.stdout).toMatch(/UNDECIDED s3:PutObject on .*the records cannot tell aws:PrincipalOrgID \(Deny identity document 0 statement 4 \(Sid "Guard"\) reads aws:PrincipalOrgID\)/);
    const denied = verify(policy, '--assume', 'aws:PrincipalOrgID=o-abc123');
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/2 request\(s\) would be denied/);
    const other = verify(policy, '--assume', 'aws:PrincipalOrgID=o-other');
    expect(other.code, other.stdout).toBe(0);
  });

  it('aws:PrincipalOrgID alone: undecided (exit 1, key listed), then decided by --assume', () => {
    const policy = withDeny({ StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } });
    const r = verify(policy);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('aws:PrincipalOrgID');
    expect(r.stdout).toMatch(/give each with --assume KEY=VALUE \(e.g. --assume aws:PrincipalOrgID=\.\.\.\)/);
    expect(verify(policy, '--assume', 'aws:PrincipalOrgID=o-abc123').code).toBe(1);
    expect(verify(policy, '--assume', 'aws:PrincipalOrgID=o-zzz').code).toBe(0);
  });

  it('an undecided Deny that a definite Deny already decides does not make it undecided', () => {
    const p = allowAll() as { Statement: unknown[] };
    p.Statement.push({ Effect: 'Deny', Action: 's3:PutObject', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'x' } } });
    p.Statement.push({ Effect: 'Deny', Action: 's3:PutObject', Resource: '*' });
    const r = verify(file(p));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/would be denied\n$/);
    expect(r.stdout).not.toMatch(/UNDECIDED/);
  });

  it('an undecided Allow that is needed makes it undecided; the tag given with --assume decides it', () => {
    const p = allowAll() as { Statement: Array<Record<string, unknown>> };
    p.Statement[1].Condition = { StringEquals: { 'aws:ResourceTag/stage': 'build' } };
    const policy = file(p);
    const r = verify(policy);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('aws:ResourceTag/stage');
    expect(verify(policy, '--assume', 'aws:ResourceTag/stage=build').code).toBe(0);
    expect(verify(policy, '--assume', 'aws:ResourceTag/stage=prod').code).toBe(1);
  });

  describe('wrongly fails today: data-perimeter Denies on the role\'s own account exit 0', () => {
    for (const key of ['aws:PrincipalAccount', 'aws:ResourceAccount']) {
      it(`StringNotEquals ${key} = own account`, () => {
        const r = verify(withDeny({ StringNotEquals: { [key]: CTX_ACCOUNT } }, '*'));
        expect(r.code, r.stdout).toBe(0);
        expect(r.stderr).toBe('');
      });
    }
    it('NotIpAddress on the build\'s network unless via an AWS service (the KMS call S3 made)', () => {
      const r = verify(withDeny({ NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' }, Bool: { 'aws:ViaAWSService': 'false' } }, '*'));
      expect(r.code, r.stdout).toBe(0);
    });
    it('kms:ViaService = S3 on the data keys, and the encryption context names the object', () => {
      const r = verify(withDeny({ StringNotEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } }, 'kms:*'));
      expect(r.code, r.stdout).toBe(0);
      const ctx = verify(withDeny({ StringNotLike: { 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::artifacts/*' } }, 'kms:*'));
      expect(ctx.code, ctx.stdout).toBe(0);
      const other = verify(withDeny({ StringNotLike: { 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::other/*' } }, 'kms:*'));
      expect(other.code).toBe(1);
    });
    it('the other network keys: the address is the build\'s, no VPC endpoint, over TLS', () => {
      expect(verify(withDeny({ NotIpAddress: { 'aws:SourceIp': `${CTX_IP}/32` } }, 's3:*')).code).toBe(0);
      expect(verify(withDeny({ Null: { 'aws:SourceVpce': 'false' } }, '*')).code).toBe(0);
      expect(verify(withDeny({ Bool: { 'aws:SecureTransport': 'false' } }, '*')).code).toBe(0);
      expect(verify(withDeny({ NumericLessThan: { 's3:TlsVersion': '1.2' } }, 's3:*')).code).toBe(0);
    });
  });

  describe('--scp: Deny-only guardrails', () => {
    const scp = (statement: Record<string, unknown>): string => file({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }, statement] });
    it('an SCP that requires encrypted uploads in the build region passes', () => {
      const guard = scp({ Effect: 'Deny', Action: 's3:PutObject', Resource: '*', Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } } });
      const region = scp({ Effect: 'Deny', NotAction: ['iam:*', 'sts:*'], Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': ['us-east-1'] } } });
      const r = verify(file(allowAll()), '--scp', guard, '--scp', region);
      expect(r.code, r.stdout).toBe(0);
    });
    it('an SCP that denies the build region fails, naming the SCP', () => {
      const region = scp({ Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': 'eu-west-1' } } });
      const r = verify(file(allowAll()), '--scp', region);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/explicitly denied by scp document 0 statement 1/);
    });
    it('an SCP Allow grants nothing the identity policy lacks', () => {
      const p = allowAll() as { Statement: unknown[] };
      p.Statement.splice(3, 1);
      const r = verify(file(p), '--scp', scp({ Effect: 'Allow', Action: 'ecr:*', Resource: '*' }));
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/DENIED ecr:GetAuthorizationToken on \* in us-east-1/);
    });
    it('a malformed SCP is bad input (exit 2), naming the file', () => {
      const bad = file({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:*' }] });
      const r = verify(file(allowAll()), '--scp', bad);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^codebuild-iam: --scp ${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: Statement\\[0\\] has neither Resource nor NotResource`));
    });
  });

  it('--help documents the context, --assume, --scp and the exit codes', () => {
    const r = runCli(['verify', '--help']);
    expect(r.code).toBe(0);
    for (const text of ['--assume <key=value>', '--scp <file>', '--project-file <file>', 'aws:PrincipalOrgID', 'Deny', 'cannot tell', 'Exit 0']) expect(r.stdout).toContain(text);
  });

  it('--assume needs KEY=VALUE (exit 2)', () => {
    const r = verify(file(allowAll()), '--assume', 'no-equals-sign');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^codebuild-iam: --assume needs KEY=VALUE/);
  });

  it('a value the records show is never overridden by --assume', () => {
    const policy = withDeny({ StringEquals: { 'aws:PrincipalAccount': CTX_ACCOUNT } });
    expect(verify(policy, '--assume', 'aws:PrincipalAccount=999999999999').code).toBe(1);
  });

  it('hostile record values are withheld from the output', () => {
    const r = verify(withDeny({ StringLike: { 'aws:UserAgent': '*' } }), '--json');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as { denied: Array<{ context: Record<string, string> }> };
    expect(j.denied[0].context['aws:UserAgent']).toBe('aws-cli/2.15.0 md/codebuild');
  });
});
