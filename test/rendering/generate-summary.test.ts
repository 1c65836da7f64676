// `generate` ends with a short summary on stderr: what was granted, generalized, denied and not granted (with
// the flag that adds it), warnings; nothing with --quiet; no terminal control characters from trail values.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Evidence, Fact } from '../../src/model.js';
import { runPipeline } from '../../src/pipeline.js';
import { generateSummary } from '../../src/rendering/summary.js';
import { runCli } from '../support/run-cli.js';
import { repoPath } from '../support/paths.js';

const DEMO = repoPath('fixtures/demo/');
const ROLE = 'arn:aws:iam::123456789012:role/service-role/codebuild-demo-app-service-role';

describe('generate summary', () => {
  it('says what was granted and not granted, and which flag adds the unlogged needs', () => {
    const out = mkdtempSync(join(tmpdir(), 'cbiam-summary-'));
    const r = runCli(['generate', '--logs', join(DEMO, 'trail'), '--role', ROLE, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toBe('granted 20 actions in 14 statements (1 document) from 89 events of 3 builds');
    expect(r.stderr).toMatch(/generalized per build: 4 patterns/);
    expect(r.stderr).toMatch(/denied, not granted: 2 calls \(s3:PutObject on arn:aws:s3:::demo-app-prod-assets\/index.html/);
    // PutLogEvents, which CloudTrail cannot show, is granted as implied by CreateLogStream: nothing left to add.
    expect(r.stderr).not.toMatch(/CloudTrail cannot show/);
    const noInfer = runCli(['generate', '--logs', join(DEMO, 'trail'), '--role', ROLE, '--no-infer']);
    expect(noInfer.stderr).toMatch(/not granted: 1 need CloudTrail cannot show \(logs:PutLogEvents\); add --project-file/);
    expect(lines.at(-1)).toMatch(/^wrote .* report.md says what needs action$/);
    const withProject = runCli(['generate', '--logs', join(DEMO, 'trail'), '--role', ROLE, '--project-file', join(DEMO, 'project.json')]);
    expect(withProject.stderr).not.toMatch(/CloudTrail cannot show/);
    expect(runCli(['generate', '--logs', join(DEMO, 'trail'), '--role', ROLE, '--out', out, '--quiet']).stderr).toBe('');
  });

  it('shows control characters from trail values instead of sending them to the terminal', () => {
    const f: Fact = {
      action: 's3:PutObject', resource: 'arn:aws:s3:::b/\u001b]0;pwned\u0007\u001b[2J\u202e', resourceKnown: true, origin: 'observed', context: {}, outcome: 'denied',
      count: 1, builds: ['b1'], firstSeen: '', lastSeen: '', regions: ['us-east-1'], accounts: ['123456789012'], sampleEventIds: [],
    };
    const ok: Fact = { ...f, action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', outcome: 'allowed' };
    const ev: Evidence = {
      role: 'r', window: {}, facts: [f, ok], unobserved: [], untranslatable: [], ignored: [], refused: [], builds: ['b1'], accounts: ['123456789012'], regions: ['us-east-1'], partition: 'aws',
      read: { files: 1, filesSkippedByName: 0, filesSkippedByContent: 0, digestFiles: 0, records: 2, matched: 2, skipped: {}, fileProblems: {}, notes: [] }, warnings: ['\u001b[31mred'],
    };
    const text = generateSummary(runPipeline(ev, { resources: 'exact', boundaryScope: 'services', inferred: [], projectArns: [] }), { resources: 'exact', projectConfig: false }).join('\n');
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e]/);
    expect(text).toContain('<U+001B>');
    expect(text).toMatch(/--resources exact/);
  });
});
