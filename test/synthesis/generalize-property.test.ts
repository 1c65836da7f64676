// Property (issue 16): for random sets of distinct names used across builds, no granted pattern matches a name
// outside the set unless what differs is a per-build identifier. Names of resources (roles, keys, buckets,
// functions, secrets, parameters, tables, queues, topics, repositories), whatever their shape (UUID-shaped key
// IDs, digit-only names, hashes), are always granted exactly; in object keys and log streams only identifier
// tokens justified by the builds become wildcards, and words never do.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Fact } from '../../src/model.js';
import { evidence, fact as factOf } from '../support/facts.js';
import { resourceCovers as covers } from '../../src/iam/glob.js';
import { identifierSpans } from '../../src/synthesis/identifiers.js';
import { synthesize } from '../../src/synthesis/synthesize.js';

const A = '123456789012';
const fact = (action: string, resource: string, build: string): Fact => factOf(action, resource, [build]);
const BUILDS = ['0a1b2c3d-0000-4000-8000-000000000001', '0a1b2c3d-0000-4000-8000-000000000002', '0a1b2c3d-0000-4000-8000-000000000003', '0a1b2c3d-0000-4000-8000-000000000004'];

const hex = (n: number): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n });
const word = fc.constantFrom('alpha', 'beta', 'gamma', 'prod', 'staging', 'reader', 'deployer', 'app', 'db-password', 'github-token', 'svc-a', 'x-b', 'build', 'cache');
const uuid = fc.tuple(hex(8), hex(4), hex(4), hex(4), hex(12)).map((p) => p.join('-'));
const digits = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 13 });
const sha = fc.tuple(hex(20), fc.constantFrom('a', 'b', 'c'), fc.constantFrom('1', '2')).map(([h, l, d]) => `${l}${d}${h}`);
/** A name or token of any shape: words, UUIDs (KMS key IDs), digit-only, hashes, word-number mixes. */
const anyName = fc.oneof(word, uuid, digits, sha, fc.tuple(word, digits).map(([w, d]) => `${w}-${d}`));

// Resource types whose identifier is a name: [action, ARN for a name].
const NAMED: Array<[string, (n: string) => string]> = [
  ['iam:PassRole', (n) => `arn:aws:iam::${A}:role/${n}`],
  ['sts:AssumeRole', (n) => `arn:aws:iam::${A}:role/${n}`],
  ['kms:Decrypt', (n) => `arn:aws:kms:us-east-1:${A}:key/${n}`],
  ['s3:ListBucket', (n) => `arn:aws:s3:::${n}`],
  ['lambda:UpdateFunctionCode', (n) => `arn:aws:lambda:us-east-1:${A}:function:${n}`],
  ['secretsmanager:GetSecretValue', (n) => `arn:aws:secretsmanager:us-east-1:${A}:secret:prod/${n}`],
  ['ssm:GetParameter', (n) => `arn:aws:ssm:us-east-1:${A}:parameter/app/${n}`],
  ['dynamodb:PutItem', (n) => `arn:aws:dynamodb:us-east-1:${A}:table/${n}`],
  ['sqs:SendMessage', (n) => `arn:aws:sqs:us-east-1:${A}:${n}`],
  ['sns:Publish', (n) => `arn:aws:sns:us-east-1:${A}:${n}`],
  ['ecr:PutImage', (n) => `arn:aws:ecr:us-east-1:${A}:repository/${n}`],
  ['codebuild:StartBuild', (n) => `arn:aws:codebuild:us-east-1:${A}:project/${n}`],
];


const resourcesOf = (s: ReturnType<typeof synthesize>): string[] => s.statements.flatMap((x) => x.resources);

describe('generalization property', () => {
  it('names of resources are granted exactly, whatever their shape and however many builds used them', () => {
    fc.assert(
      fc.property(fc.constantFrom(...NAMED), fc.uniqueArray(fc.tuple(anyName, fc.nat(3)), { minLength: 2, maxLength: 8, selector: ([n]) => n }), ([action, arn], uses) => {
        const facts = uses.map(([n, b]) => fact(action, arn(n), BUILDS[b]));
        const s = synthesize(evidence(facts, BUILDS), { resources: 'generalize' });
        expect(resourcesOf(s).sort()).toEqual([...new Set(facts.map((f) => f.resource))].sort());
        expect(s.generalized).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('in object keys and log streams, a pattern covers a name outside the set only through proven per-build identifier tokens', () => {
    let widened = 0;
    const use = fc.record({ bucket: fc.constantFrom('art', 'art', 'prod-artifacts', 'staging-artifacts'), dir: fc.constantFrom('app', 'app', 'build', 'alpha'), token: anyName, file: fc.constantFrom('app.zip', 'app.zip', 'out.tar'), build: fc.nat(3) });
    fc.assert(
      fc.property(fc.uniqueArray(use, { minLength: 2, maxLength: 10, selector: (u) => `${u.bucket}/${u.dir}/${u.token}/${u.file}` }), fc.boolean(), (uses, logs) => {
        const arn = (u: { bucket: string; dir: string; token: string; file: string }): string =>
          logs ? `arn:aws:logs:us-east-1:${A}:log-group:/aws/codebuild/${u.bucket}:log-stream:${u.dir}/${u.token}/${u.file}` : `arn:aws:s3:::${u.bucket}/${u.dir}/${u.token}/${u.file}`;
        const action = logs ? 'logs:CreateLogStream' : 's3:PutObject';
        const facts = uses.map((u) => fact(action, arn(u), BUILDS[u.build]));
        const s = synthesize(evidence(facts, BUILDS), { resources: 'generalize' });
        const used = new Set(facts.map((f) => f.resource));
        if (s.generalized.length) widened++;
        for (const p of resourcesOf(s)) {
          if (used.has(p)) continue;
          // Every pattern is a recorded generalization whose tokens are whole identifiers of the builds that used them.
          const g = s.generalized.find((x) => x.to === p);
          expect(g, p).toBeDefined();
          for (const j of g?.because ?? []) {
            expect(identifierSpans(j.token).some((x) => x.start === 0 && x.end === j.token.length), j.token).toBe(true);
            expect(facts.some((f) => f.builds[0] === j.build && f.resource.includes(j.token))).toBe(true);
          }
          // Names outside the set that differ in a word (the bucket or log group, a directory, the file) are never covered.
          for (const u of uses) {
            for (const other of [
              { ...u, bucket: 'victim-bucket' },
              { ...u, dir: 'elsewhere' },
              { ...u, file: 'secret.key' },
            ]) {
              if (!used.has(arn(other))) expect(covers(p, arn(other)), `${p} covers ${arn(other)}`).toBe(false);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
    // Not vacuous: per-build identifiers were found and generalized in many runs.
    expect(widened).toBeGreaterThan(50);
  });
});
