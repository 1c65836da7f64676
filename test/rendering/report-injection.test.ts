// report.md is pasted into pull requests: text from trails (S3 keys, action names, reasons, warnings) must not
// make an element, link, mention or reference, nor break a table. The examples are rendered with a
// CommonMark/GFM renderer and the tokens checked.
import { describe, expect, it } from 'vitest';
import type { Evidence, Fact } from '../../src/model.js';
import { runPipeline } from '../../src/pipeline.js';
import { GITHUB_LINKS, HOSTILE, liveInline, md, type Token } from '../support/markdown.js';

const B = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222'];

function fact(action: string, resource: string, over: Partial<Fact> = {}): Fact {
  return {
    action, resource, resourceKnown: true, origin: 'observed', context: {}, outcome: 'allowed', count: 1, builds: [B[0]],
    firstSeen: '2024-03-01T10:00:00Z', lastSeen: '2024-03-01T10:00:00Z', regions: ['us-east-1'], accounts: ['123456789012'], sampleEventIds: ['e'], ...over,
  };
}

export /** As the translator writes resource names: IAM wildcard characters escaped so they match only themselves. */
const iamLiteral = (s: string): string => s.replace(/[*?$]/g, (c) => `\${${c}}`);

function hostileEvidence(): Evidence {
  const facts = HOSTILE.flatMap((h, i) => [
    fact('s3:GetObject', `arn:aws:s3:::bucket/${iamLiteral(h)}`, { builds: [B[i % 2]] }),
    fact('s3:PutObject', `arn:aws:s3:::prod/${iamLiteral(h)}`, { outcome: 'denied' }),
  ]);
  return {
    role: `arn:aws:iam::123456789012:role/${HOSTILE[0]}`,
    window: { since: HOSTILE[1] },
    facts,
    unobserved: HOSTILE.map((h) => ({ action: 'logs:PutLogEvents', resource: `arn:aws:logs:us-east-1:123456789012:log-group:${h}:*`, reason: h, count: 1 })),
    untranslatable: HOSTILE.map((h) => ({ eventSource: h, eventName: h, reason: h, count: 1, sampleEventIds: [] })),
    ignored: [],
    refused: HOSTILE.map((h) => ({ value: h, eventName: h, count: 1 })),
    builds: B,
    accounts: ['123456789012'],
    regions: ['us-east-1'],
    partition: 'aws',
    read: { files: 1, filesSkippedByName: 0, filesSkippedByContent: 0, digestFiles: 0, records: 2, matched: 2, skipped: {}, fileProblems: {}, notes: HOSTILE.map((h) => ({ reason: 'not-json' as const, where: h, detail: h })) },
    warnings: HOSTILE,
  };
}

const OWN_LABELS = /^(Denied calls, not granted|Seen but not granted|Needs CloudTrail cannot show, not granted|Undecided checks|Verification denied .*|Warnings|--resources exact|--allow-broad|Resources the trail did not name|Unusual values refused)$/;

/** The raw HTML the report itself writes: folds, nothing else. */
const OWN_HTML = /^(<details><summary>[^<>]*<\/summary>|<\/details>)\n?$/;

function check(markdown: string): Token[] {
  const tokens = md.parse(markdown, {});
  for (const t of tokens) {
    if (t.type === 'html_block') expect(t.content, 'raw HTML block').toMatch(OWN_HTML);
    expect(t.type, 'block from input').not.toMatch(/^(fence|code_block|blockquote_open|hr|heading_open:h1)$/);
  }
  // The report's own bold labels are the only emphasis; everything else inline is text or code.
  for (const t of tokens) {
    const kids = t.children ?? [];
    kids.forEach((k, i) => {
      if (k.type === 'strong_open') expect(`${kids[i + 1]?.content}`).toMatch(OWN_LABELS);
    });
  }
  expect(liveInline(tokens).filter((t) => !/^strong_(open|close)$/.test(t.type) && !(t.type === 'html_inline' && t.content === '<br>')).map((t) => `${t.type} ${t.content}`)).toEqual([]);
  for (const t of tokens.flatMap((x) => x.children ?? [])) if (t.type === 'text') expect(t.content).not.toMatch(GITHUB_LINKS);
  // Tables keep their shape: every row has as many cells as its header.
  let cols = 0;
  let cells = 0;
  for (const t of tokens) {
    if (t.type === 'tr_open') cells = 0;
    if (t.type === 'th_open' || t.type === 'td_open') cells++;
    if (t.type === 'tr_close') {
      if (cols === 0) cols = cells;
      else expect(cells).toBe(cols);
    }
    if (t.type === 'table_close') cols = 0;
  }
  return tokens;
}

describe('report.md with hostile values from the trail', () => {
  const evidence = hostileEvidence();
  for (const resources of ['generalize', 'exact'] as const) {
    it(`renders no element, link or mention from the input (--resources ${resources})`, () => {
      const r = runPipeline(evidence, { resources, boundaryScope: 'services', inferred: [], projectArns: [] });
      const report = r.files['report.md'];
      const tokens = check(report);
      // The S3 key is shown whole, as code, in the grants table.
      const code = tokens.flatMap((t) => t.children ?? []).filter((t) => t.type === 'code_inline').map((t) => t.content);
      if (resources === 'exact') expect(code.filter((c) => c.includes('bucket/k'))).toEqual([`arn:aws:s3:::bucket/${HOSTILE[0]}`]);
      expect(report).not.toMatch(/\u202e|\u2066/);
      expect(report).toContain('<U+202E>');
    });
  }
});
