// "Next build" golden tests: for each scenario in fixtures/scenarios, the policy generated from builds 1-3
// (with the project configuration) allows every request of build 4, and denies sibling resources and every
// call that only failed.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import type { PolicyDocument } from '../../src/model.js';
import { evaluate, explainDecision } from '../../src/verification/evaluator/index.js';
import { repoPath } from '../support/paths.js';

const SCENARIOS = repoPath('fixtures/scenarios/');
const run = runCli;

for (const name of readdirSync(SCENARIOS).sort()) {
  const dir = join(SCENARIOS, name);
  describe(`scenario ${name}`, () => {
    const project = JSON.parse(readFileSync(join(dir, 'project.json'), 'utf8')) as { projects: Array<{ serviceRole: string; arn: string }> };
    const role = project.projects[0].serviceRole;
    const out = mkdtempSync(join(tmpdir(), `cbiam-${name}-`));
    const gen = run(['generate', '--logs', join(dir, 'builds-1-3'), '--role', role, '--project-file', join(dir, 'project.json'), '--out', out, '--quiet']);

    it('generates from builds 1-3', () => expect(gen.code, gen.stderr).toBe(0));

    it('allows every request of build 4 (policy and boundary)', () => {
      const v = run(['verify', '--policy', out, '--logs', join(dir, 'build-4'), '--role', role]);
      expect(v.code, v.stdout + v.stderr).toBe(0);
    });

    it('denies sibling resources and calls that only failed', () => {
      const identity = readdirSync(out).filter((f) => /^policy(-\d+)?\.json$/.test(f)).map((f) => JSON.parse(readFileSync(join(out, f), 'utf8')) as PolicyDocument);
      const boundary = JSON.parse(readFileSync(join(out, 'boundary.json'), 'utf8')) as PolicyDocument;
      const siblings = JSON.parse(readFileSync(join(dir, 'siblings.json'), 'utf8')) as Array<{ action: string; resource: string; why: string; context?: Record<string, string> }>;
      expect(siblings.length).toBeGreaterThan(3);
      for (const s of siblings) {
        const region = /^arn:[^:]+:[^:]+:([^:]+):/.exec(s.resource)?.[1] || 'us-east-1';
        const d = evaluate({ action: s.action, resource: s.resource, context: { 'aws:RequestedRegion': region, ...s.context } }, { identity, boundary: [boundary] });
        expect(d.decision, `${s.action} on ${s.resource} (${s.why}): ${explainDecision(d)}`).not.toBe('Allow');
      }
    });
  });
}
