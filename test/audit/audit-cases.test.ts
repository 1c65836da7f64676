// The audit's golden cases (test/cases/audit/*.json): each is a batch-get-projects document, describe outputs
// and evidence, with the status every named check must reach and the exact findings it must raise. Every
// check must pass in some case and fail in another; no secret from a case may reach any output.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/audit/catalog.js';
import { loadSnapshot } from '../../src/audit/load-offline.js';
import type { AuditOptions, AuditReport, CheckStatus, Severity } from '../../src/audit/model.js';
import { renderAuditJson } from '../../src/audit/render/json.js';
import { renderAuditMarkdown } from '../../src/audit/render/markdown.js';
import { renderSarif } from '../../src/audit/render/sarif.js';
import { runAudit } from '../../src/audit/run.js';
import { parseEvidence } from '../../src/diff/usage.js';
import { repoPath } from '../support/paths.js';

interface Expectation {
  status: CheckStatus;
  findings?: Record<string, Severity>;
  note?: string;
}
interface AuditCase {
  description: string;
  projectName?: string;
  project: unknown;
  describe: Record<string, unknown>;
  evidence?: unknown;
  options: AuditOptions;
  expect: Record<string, CheckStatus | Expectation>;
  forbidden?: string[];
}

const DIR = repoPath('test/cases/audit/');
const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

async function run(name: string): Promise<{ c: AuditCase; report: AuditReport }> {
  const c = JSON.parse(readFileSync(join(DIR, name), 'utf8')) as AuditCase;
  const snapshot = loadSnapshot(
    { name: `${name}#project`, value: c.project },
    Object.entries(c.describe).map(([k, value]) => ({ name: `${name}#${k}`, value })),
    c.projectName,
  );
  const evidence = c.evidence ? parseEvidence(c.evidence, `${name}#evidence`) : undefined;
  return { c, report: await runAudit(snapshot, c.options, evidence) };
}

const seen = new Map<string, Set<CheckStatus>>();

describe('audit golden cases', () => {
  it('has cases', () => expect(files.length).toBeGreaterThan(10));
  for (const name of files) {
    it(name, async () => {
      const { c, report } = await run(name);
      for (const [id, want] of Object.entries(c.expect)) {
        const e: Expectation = typeof want === 'string' ? { status: want } : want;
        const result = report.results.find((r) => r.check.id === id);
        expect(result, `${name}: unknown check ${id}`).toBeDefined();
        const got = Object.fromEntries(result!.findings.map((f) => [f.id, f.severity]));
        expect({ id, status: result!.status, note: result!.note }).toMatchObject({ id, status: e.status, ...(e.note ? { note: e.note } : {}) });
        if (e.findings) expect(got, `${name}: ${id} findings`).toEqual(e.findings);
        if (!seen.has(id)) seen.set(id, new Set());
        seen.get(id)!.add(e.status);
      }
      for (const text of [renderAuditJson(report), renderAuditMarkdown(report), renderSarif(report)]) {
        for (const secret of c.forbidden ?? []) expect(text.includes(secret), `${name}: an output contains a secret`).toBe(false);
      }
      // Byte-identical reruns.
      expect(renderAuditJson((await run(name)).report)).toBe(renderAuditJson(report));
    });
  }
  it('every check passes in some case and fails in another', () => {
    for (const check of CHECKS) {
      expect([...(seen.get(check.id) ?? [])].sort(), check.id).toEqual(expect.arrayContaining(['fail', 'pass']));
    }
  });
});
