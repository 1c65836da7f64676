// The diff against the exact request evaluator: for random current and proposed documents, any concrete
// request that the proposal allows and today's documents do not must show up as a widening of its action.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AuthRequest, PolicyDocument, PolicyStatement } from '../../src/model.js';
import { diffDocuments } from '../../src/diff/diff.js';
import { evaluate } from '../../src/verification/evaluator/index.js';

const ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:Get*', 's3:*', 'logs:PutLogEvents', 'logs:*', 'iam:PassRole', '*'];
const RESOURCES = ['*', 'arn:aws:s3:::a/*', 'arn:aws:s3:::a/x/*', 'arn:aws:s3:::b/*', 'arn:aws:s3:::a/x/y', 'arn:aws:logs:us-east-1:1:log-group:g:*', 'arn:aws:s3:::a?x/*'];
const CONDITIONS = [undefined, { StringEquals: { 'aws:SourceAccount': '1' } }, { StringEquals: { 'aws:SourceAccount': ['1', '2'] } }];

const statement: fc.Arbitrary<PolicyStatement> = fc
  .record({
    effect: fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Allow', 'Deny'),
    actions: fc.subarray(ACTIONS, { minLength: 1, maxLength: 2 }),
    notAction: fc.boolean(),
    resources: fc.subarray(RESOURCES, { minLength: 1, maxLength: 2 }),
    notResource: fc.boolean(),
    condition: fc.constantFrom(...CONDITIONS),
  })
  .map((r) => ({
    Effect: r.effect,
    ...(r.notAction && !r.actions.includes('*') ? { NotAction: r.actions } : { Action: r.actions }),
    ...(r.notResource && !r.resources.includes('*') ? { NotResource: r.resources } : { Resource: r.resources }),
    ...(r.condition ? { Condition: r.condition } : {}),
  }));

const doc = (st: PolicyStatement[]): PolicyDocument => ({ Version: '2012-10-17', Statement: st });
const side = fc.record({
  identity: fc.array(statement, { minLength: 1, maxLength: 3 }).map(doc),
  boundary: fc.option(fc.array(statement, { minLength: 1, maxLength: 2 }).map(doc), { nil: undefined }),
});

const REQUEST_ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:GetObjectAcl', 'logs:PutLogEvents', 'iam:PassRole', 'ec2:RunInstances'];
const REQUEST_RESOURCES = ['arn:aws:s3:::a/x/y', 'arn:aws:s3:::a/z', 'arn:aws:s3:::b/q', 'arn:aws:s3:::a/x/z', 'arn:aws:s3:::a-x/q', 'arn:aws:logs:us-east-1:1:log-group:g:log-stream:s'];
const CONTEXTS: Array<Record<string, string>> = [{}, { 'aws:SourceAccount': '1' }, { 'aws:SourceAccount': '2' }];

describe('diff against the request evaluator', () => {
  it('reports a widening for every request the proposal newly allows, and allowances contain every allowed action', async () => {
    let widenings = 0;
    await fc.assert(
      fc.asyncProperty(side, side, async (cur, prop) => {
        const current = { identity: [{ name: 'c', document: cur.identity }], ...(cur.boundary ? { boundary: { name: 'cb', document: cur.boundary } } : {}) };
        const proposed = { identity: [{ name: 'p', document: prop.identity }], ...(prop.boundary ? { boundary: { name: 'pb', document: prop.boundary } } : {}) };
        const report = await diffDocuments({ current, proposed, currentSource: 'c', proposedSource: 'p' });
        const widened = new Set(report.widening.map((w) => w.action));
        const kept = new Set(report.services.flatMap((s) => s.kept));
        const added = new Set(report.services.flatMap((s) => s.added));
        const removed = new Set(report.services.flatMap((s) => s.removed));
        // A proposal without a boundary keeps today's.
        const propBoundary = prop.boundary ?? cur.boundary;
        for (const action of REQUEST_ACTIONS) {
          for (const resource of REQUEST_RESOURCES) {
            for (const context of CONTEXTS) {
              const req: AuthRequest = { action, resource, context };
              const now = evaluate(req, { identity: [cur.identity], ...(cur.boundary ? { boundary: [cur.boundary] } : {}) }).decision === 'Allow';
              const next = evaluate(req, { identity: [prop.identity], ...(propBoundary ? { boundary: [propBoundary] } : {}) }).decision === 'Allow';
              if (now && !(kept.has(action) || removed.has(action))) return false;
              if (next && !(kept.has(action) || added.has(action))) return false;
              if (next && !now) {
                widenings++;
                if (!widened.has(action)) return false;
              }
            }
          }
        }
        return true;
      }),
      { numRuns: 80 },
    );
    // The generator must actually produce widenings for the property to mean something.
    expect(widenings).toBeGreaterThan(20);
  }, 240_000);
});
