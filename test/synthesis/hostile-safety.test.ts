// The last gate before anything is written (src/synthesis/safety.ts): Action "*", "service:*", NotAction,
// and a resource-scoped action on "*" when the trail named its resource are refused, with the reason;
// --allow-broad writes anyway and says so.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJson, runCli, tempDir } from '../../fixtures/hostile/cli.js';
import { record } from '../../fixtures/hostile/make.js';
import type { Fact, PolicyDocument, PolicyStatement } from '../../src/model.js';
import { checkSafety } from '../../src/synthesis/safety.js';

const OBJECT = 'arn:aws:s3:::artifacts/app.zip';

function fact(action: string, resource: string, resourceKnown: boolean): Fact {
  return {
    action,
    resource,
    resourceKnown,
    origin: 'observed',
    context: {},
    outcome: 'allowed',
    count: 1,
    builds: [],
    firstSeen: '',
    lastSeen: '',
    regions: ['us-east-1'],
    accounts: [],
    sampleEventIds: [],
  };
}

const doc = (...Statement: PolicyStatement[]): PolicyDocument => ({ Version: '2012-10-17', Statement });
const problems = (docs: PolicyDocument[], facts: Fact[] = []): string[] => checkSafety(docs, facts).map((p) => `${p.sid ?? '-'}: ${p.problem}`);

describe('checkSafety', () => {
  it('refuses Action "*" and service:* (as a string or in a list, in any document of a split policy)', () => {
    expect(problems([doc({ Sid: 'All', Effect: 'Allow', Action: '*', Resource: '*' })])).toEqual(['All: allows the wildcard action *']);
    expect(problems([doc({ Sid: 'A', Effect: 'Allow', Action: ['s3:GetObject'], Resource: OBJECT }), doc({ Sid: 'B', Effect: 'Allow', Action: ['logs:PutLogEvents', 'iam:*'], Resource: '*' })])).toEqual([
      'B: allows the wildcard action iam:*',
    ]);
    expect(problems([doc({ Sid: 'C', Effect: 'Allow', Action: '*:*', Resource: '*' })])).toEqual(['C: allows the wildcard action *:*']);
  });

  it('refuses NotAction in an Allow, which grants every other action', () => {
    expect(problems([doc({ Sid: 'N', Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })])).toEqual(['N: allows NotAction, which grants every other action']);
  });

  it('refuses a resource-scoped action on "*" when the trail named its resource, whatever its case', () => {
    const facts = [fact('s3:GetObject', OBJECT, true)];
    expect(problems([doc({ Sid: 'R', Effect: 'Allow', Action: ['s3:getobject'], Resource: ['*'] })], facts)).toEqual([
      'R: grants s3:getobject on "*" although the trail named its resources',
    ]);
    // Scoped to the named resource: fine.
    expect(problems([doc({ Sid: 'R', Effect: 'Allow', Action: ['s3:GetObject'], Resource: [OBJECT] })], facts)).toEqual([]);
  });

  it('lets through "*" for actions whose resource was never known, Deny statements, and narrow wildcards', () => {
    expect(problems([doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' })], [fact('s3:GetObject', '*', false)])).toEqual([]);
    expect(problems([doc({ Effect: 'Deny', Action: '*', Resource: '*' }), doc({ Effect: 'Deny', NotAction: 's3:*', Resource: '*' })])).toEqual([]);
    expect(problems([doc({ Effect: 'Allow', Action: ['s3:Get*', 'logs:Create*'], Resource: OBJECT })])).toEqual([]);
  });
});

describe('generate and the gate', () => {
  // GetObject on a named object, and once without a key: the second can only be granted on "*".
  const trail = (): string => {
    const p = join(tempDir('safety'), 'trail.json');
    const get = (i: number, requestParameters: Record<string, unknown>) => record(i, { eventSource: 's3.amazonaws.com', eventName: 'GetObject', requestParameters });
    writeFileSync(p, JSON.stringify({ Records: [get(1, { bucketName: 'artifacts', key: 'app.zip' }), get(2, { bucketName: 'artifacts' })] }));
    return p;
  };

  it('refuses with exit 1 and one line naming the statement, the action and why; writes nothing', async () => {
    const out = tempDir('safety-out');
    const r = await runCli(['generate', '--logs', trail(), '--role', 'cb-role', '--out', out, '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/refusing to write a broad policy: \w+ grants s3:GetObject on "\*" although the trail named its resources \(pass --allow-broad/);
    expect(readJson(out, 'policy.json')).toBeUndefined();
  });

  it('--allow-broad writes the policy and warns which grants are broad', async () => {
    const out = tempDir('safety-out');
    const r = await runCli(['generate', '--logs', trail(), '--role', 'cb-role', '--out', out, '--quiet', '--allow-broad']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: writing a broad policy because of --allow-broad: \w+ grants s3:GetObject on "\*"/);
    const policy = readJson<PolicyDocument>(out, 'policy.json') as PolicyDocument;
    const get = policy.Statement.filter((s) => [s.Action ?? []].flat().includes('s3:GetObject'));
    expect(get.flatMap((s) => [s.Resource ?? []].flat())).toContain('*');
  });
});
