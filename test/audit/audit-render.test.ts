// The audit's outputs: SARIF validates against the SARIF 2.1.0 schema (shipped by @microsoft/jest-sarif and
// checked with ajv's draft-04 validator; one of the schema's patterns is not valid in unicode mode, hence
// unicodeRegExp: false), and markdown rendered by a CommonMark renderer carries no live HTML, link, mention or
// hidden text from hostile input; the escaping routine itself is attacked directly.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import AjvDraft04 from 'ajv-draft-04';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { loadSnapshot } from '../../src/audit/load-offline.js';
import { renderAuditMarkdown } from '../../src/audit/render/markdown.js';
import { renderSarif } from '../../src/audit/render/sarif.js';
import { runAudit } from '../../src/audit/run.js';
import { escapeText, inlineCode } from '../../src/rendering/markdown/escape.js';
import { parseEvidence } from '../../src/diff/usage.js';
import { repoPath } from '../support/paths.js';

const require = createRequire(import.meta.url);
const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as object;
const validate = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false }).compile(schema);
const md = new MarkdownIt({ html: true, linkify: true });

async function caseReport(name: string) {
  const c = JSON.parse(readFileSync(repoPath('test/cases/audit', `${name}.json`), 'utf8'));
  const snapshot = loadSnapshot({ name, value: c.project }, Object.entries(c.describe).map(([k, value]) => ({ name: k, value })), c.projectName);
  return runAudit(snapshot, c.options, c.evidence ? parseEvidence(c.evidence, name) : undefined);
}

describe('SARIF 2.1.0', () => {
  for (const name of ['careless', 'hardened', 'network-open']) {
    it(`${name} validates against the schema`, async () => {
      const log = JSON.parse(renderSarif(await caseReport(name), { artifactUri: 'project.json', toolVersion: '0.1.0' }));
      const ok = validate(log);
      expect(validate.errors ?? [], JSON.stringify(validate.errors?.slice(0, 3))).toEqual([]);
      expect(ok).toBe(true);
      expect(log.version).toBe('2.1.0');
    });
  }
  it('the validator rejects a broken log (it really validates)', async () => {
    const log = JSON.parse(renderSarif(await caseReport('careless')));
    log.runs[0].results[0].level = 'fatal';
    expect(validate(log)).toBe(false);
  });
  it('one result per finding, each pointing at its rule, with a stable fingerprint', async () => {
    const report = await caseReport('careless');
    const log = JSON.parse(renderSarif(report));
    const findings = report.results.flatMap((r) => r.findings);
    expect(log.runs[0].results).toHaveLength(findings.length);
    for (const r of log.runs[0].results) expect(log.runs[0].tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
    const prints = log.runs[0].results.map((r: { partialFingerprints: Record<string, string> }) => r.partialFingerprints['codebuildIamFinding/v1']);
    expect(new Set(prints).size).toBe(prints.length);
  });
});

const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '[click](https://evil.example/steal)',
  '![x](https://evil.example/p.png)',
  'https://evil.example/a and www.evil.example',
  '@octocat please look at #1234',
  'a``b`c ``` d',
  '`',
  'line1\n# Heading\n<div>x</div>',
  'safe\u202Eevil\u2066',
  '| col | injection |',
  '&lt;b&gt; entity &#60;i&#62;',
];

// GitHub links mentions and issue references in text, not inside code spans.
const outsideCode = (html: string): string => html.replace(/<code>[\s\S]*?<\/code>/g, '');

function assertInert(html: string): void {
  expect(html).not.toMatch(/<(img|script|div|a|b|i|iframe|h1)\b/i);
  expect(html).not.toMatch(/href=/i);
  expect(html).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
  expect(outsideCode(html)).not.toMatch(/@octocat/);
  expect(outsideCode(html)).not.toMatch(/#1234/);
}

describe('markdown escaping', () => {
  for (const text of HOSTILE) {
    it(`escapeText keeps ${JSON.stringify(text)} inert`, () => {
      const html = md.render(`Text: ${escapeText(text)}`);
      assertInert(html);
      expect(html.match(/<p>/g)).toHaveLength(1);
    });
    it(`inlineCode keeps ${JSON.stringify(text)} inert and in one code span`, () => {
      const html = md.render(`- ${inlineCode(text)}`);
      assertInert(html.replace(/<\/?(ul|li)>/g, ''));
      expect(html.match(/<code>/g)).toHaveLength(1);
    });
  }
  it('inlineCode keeps the text readable: the code span shows the input (newlines folded)', () => {
    const html = md.render(inlineCode('a``b`c'));
    expect(html).toContain('<code>a``b`c</code>');
  });
});

describe('audit markdown with a hostile project', () => {
  it('renders no HTML, link, mention or table break from input', async () => {
    const evil = '<img src=x onerror=alert(1)> @octocat [x](https://evil.example) | `';
    const c = JSON.parse(readFileSync(repoPath('test/cases/audit/careless.json'), 'utf8'));
    const p = c.project.projects[0];
    p.environment.environmentVariables.push({ name: `DB_PASSWORD${evil}`, value: 'hunter3-some-password', type: 'PLAINTEXT' });
    p.environment.image = `evil.example/${evil}:tag`;
    p.webhook.filterGroups[1][1].pattern = `123${evil}`;
    const snapshot = loadSnapshot({ name: 'p', value: c.project }, [], 'legacy-build');
    const text = renderAuditMarkdown(await runAudit(snapshot, c.options));
    expect(text).not.toContain('hunter3-some-password');
    const html = md.render(text);
    // The only links are the tool's own citations.
    for (const m of html.matchAll(/href="([^"]*)"/g)) expect(m[1]).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    expect(html).not.toMatch(/<img|<script|onerror=alert\(1\)>/i);
    expect(outsideCode(html)).not.toMatch(/@octocat/);
    // Every table row has exactly four cells.
    for (const row of html.match(/<tr>[\s\S]*?<\/tr>/g) ?? []) expect(row.match(/<t[dh]>/g)).toHaveLength(4);
  });
});
