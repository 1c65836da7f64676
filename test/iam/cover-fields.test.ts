// resourceCovers across ARN fields, against @cloud-copilot/iam-simulate (AGPL, devDependency, tests only).
// glob.test.ts samples cover inside one S3 key; here both patterns put `*`, `?` and `:` anywhere after
// the service (region, account, and a resource with colons), so a `*` or `?` may stand where IAM sees a
// field's colon. The diff's --fail-on-widen and the
// minimizer both trust a "covered" answer: it must never claim a cover IAM does not give.
import { describe, expect, it } from 'vitest';
import { resourceCovers } from '../../src/iam/glob.js';
import type { PolicyDocument } from '../../src/model.js';
import { oracleVerdicts } from '../support/oracle.js';
import { Rng } from '../support/oracle-cases.js';

const pick = <T>(r: Rng, list: readonly T[]): T => r.pick(list);

const PREFIX = 'arn:aws:logs:';
// The last region shifts the fields after it: a pattern with a field too many, which only a colon-spanning `*` would cover.
const REGIONS = ['us-east-1', 'us-west-2', '*', 'us-*', 'us-?ast-1', '*-1', 'us-east-1:111122223333'];
const ACCOUNTS = ['111122223333', '444455556666', '*', '1111????3333', '1111*'];
/** An ARN pattern: wildcards in the region and account, and `*`, `?` and colons in the resource after a name. */
const pattern = (r: Rng): string =>
  `${PREFIX}${pick(r, REGIONS)}:${pick(r, ACCOUNTS)}:log-group:g${Array.from({ length: r.int(6) }, () => pick(r, ['a', ':', '*', '?'])).join('')}`;
const allow = (resource: string): PolicyDocument[] => [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'logs:CreateLogStream', Resource: resource }] }];

async function iamAllows(resourcePattern: string, resource: string): Promise<boolean> {
  return (await oracleVerdicts({ action: 'logs:CreateLogStream', resource, context: {} }, allow(resourcePattern))).decision === 'Allow';
}

describe('cover across ARN fields, against iam-simulate', () => {
  it('what it says is covered, IAM allows under the outer pattern, for every sampled instance of the inner one', async () => {
    const r = new Rng(4242);
    let covered = 0;
    let checked = 0;
    for (let k = 0; k < 3000 && covered < 60; k++) {
      const outer = pattern(r);
      const inner = pattern(r);
      if (outer === inner || !resourceCovers(outer, inner)) continue;
      covered++;
      // Instances of the inner pattern: each `*` as '', 'a', ':' or 'a:a', each `?` as 'a' or ':' (digits and
      // letters in the account and region, where a colon would start the next field).
      for (let n = 0; n < 3; n++) {
        const fields = inner.split(':');
        const head = fields.slice(3, 5).map((f) => f.replace(/\*/g, () => pick(r, ['', '1', 'east'])).replace(/\?/g, () => pick(r, ['1', 'e'])));
        const tail = fields.slice(5).join(':').replace(/\*/g, () => pick(r, ['', 'a', ':', 'a:a'])).replace(/\?/g, () => pick(r, ['a', ':']));
        const resource = `${PREFIX}${head.join(':')}:${tail}`;
        if (!(await iamAllows(inner, resource))) continue;
        checked++;
        expect(await iamAllows(outer, resource), `${outer} ⊇ ${inner} at ${resource}`).toBe(true);
      }
    }
    expect(covered).toBeGreaterThan(20);
    expect(checked).toBeGreaterThan(30);
  });
});
