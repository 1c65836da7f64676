// Every companion the unlogged table grants (src/translation/data/unlogged.json, `grant: true`) is granted only
// beside a call whose outcome proves authorization passed, and on that call's resource: a denied or unproven
// trigger grants nothing, whichever entry of the table it is. A new granted entry fails here until it has a
// record below, so the table-driven path cannot gain an untested grant.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UNLOGGED } from '../../src/translation/tables.js';
import { MINI_ROLE as ROLE, rec as miniRec } from '../support/mini-trail.js';
import { runCli } from '../support/run-cli.js';

const GROUP = 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/codebuild/app';

/** A record of each granted trigger, with its stream or domain `name`. */
const TRIGGERS: Record<string, (name: string) => [string, string, Record<string, unknown>]> = {
  'logs:CreateLogStream': (name) => ['logs.amazonaws.com', 'CreateLogStream', { logGroupName: '/aws/codebuild/app', logStreamName: name }],
  'codeartifact:GetAuthorizationToken': (name) => ['codeartifact.amazonaws.com', 'GetAuthorizationToken', { domain: name, domainOwner: '123456789012' }],
};

const granted = Object.entries(UNLOGGED.implied).flatMap(([trigger, list]) => list.filter((c) => c.grant).map((c) => ({ trigger, companion: c.action, same: c.resource === 'same' })));

/** A record of `trigger` in build i, with its own event ID. */
function rec(i: number, trigger: string, name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const [source, eventName, req] = TRIGGERS[trigger](name);
  return miniRec(i, source, eventName, req, { eventID: `ev-${eventName}-${i}-${name}`, ...extra });
}

/** The policy `generate` writes for these records (an S3 call keeps it from being empty). */
function policyText(records: Array<Record<string, unknown>>): string {
  const d = mkdtempSync(join(tmpdir(), 'cbiam-implied-table-'));
  const s3 = { ...rec(1, 'logs:CreateLogStream', 'x'), eventSource: 's3.amazonaws.com', eventName: 'GetBucketLocation', requestParameters: { bucketName: 'b' }, eventID: 'ev-s3' };
  writeFileSync(join(d, '123456789012_CloudTrail_us-east-1_20240301T1010Z_abcdefghijklmnop.json'), JSON.stringify({ Records: [...records, s3] }));
  const out = mkdtempSync(join(tmpdir(), 'cbiam-implied-table-out-'));
  const r = runCli(['generate', '--logs', d, '--role', ROLE, '--out', out, '--quiet']);
  expect(r.code, r.stderr).toBe(0);
  return readFileSync(join(out, 'policy.json'), 'utf8');
}

describe('granted companions of the unlogged table', () => {
  it('every granted entry has a trigger record here', () => {
    expect(granted.length).toBeGreaterThan(0);
    for (const g of granted) expect(Object.keys(TRIGGERS), g.trigger).toContain(g.trigger);
  });

  it.each(granted)('$trigger denied or unproven in every build grants no $companion', ({ trigger, companion }) => {
    const policy = policyText([rec(1, trigger, 'a', { errorCode: 'AccessDenied' }), rec(2, trigger, 'a', { errorCode: 'ThrottlingException' }), rec(3, trigger, 'a', { errorCode: 'UnrecognizedClientException' })]);
    expect(policy).not.toContain(companion);
    expect(policy).not.toContain(trigger);
  });

  it.each(granted.filter((g) => g.same))('$companion is granted on the resources of allowed $trigger calls only, not of denied ones', ({ trigger, companion }) => {
    const policy = JSON.parse(policyText([rec(1, trigger, 'allowed'), rec(2, trigger, 'allowed'), rec(1, trigger, 'denied', { errorCode: 'AccessDenied' }), rec(2, trigger, 'denied', { errorCode: 'AccessDenied' })])) as {
      Statement: Array<{ Action: string[]; Resource: string[] }>;
    };
    const resourcesOf = (action: string): string[] => policy.Statement.filter((s) => s.Action.includes(action)).flatMap((s) => s.Resource).sort();
    expect(resourcesOf(companion)).toEqual(resourcesOf(trigger));
    expect(resourcesOf(companion)).toEqual([`${GROUP}:log-stream:allowed`]);
  });
});
