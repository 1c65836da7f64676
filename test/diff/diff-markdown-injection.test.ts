// `diff --format markdown` is posted as a PR comment: action names, resources and conditions from a proposed
// policy must not make HTML, links or mentions, nor an `<!--` that hides the rest of the comment; and the
// comment fits GitHub's 65,536 characters however large the change.
import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../src/model.js';
import { diffDocuments } from '../../src/diff/diff.js';
import { COMMENT_LIMIT, renderMarkdown } from '../../src/diff/render-markdown.js';
import { GITHUB_LINKS, HOSTILE, liveInline, md } from '../support/markdown.js';

const doc = (...Statement: PolicyDocument['Statement']): PolicyDocument => ({ Version: '2012-10-17', Statement });
const set = (d: PolicyDocument, name: string) => ({ identity: [{ name, document: d }] });

/** Our own raw HTML: folds, the footer's <sub> and <code>. */
const OWN_HTML = /^(<details><summary>(<code>[^<>]*<\/code>)?[^<>]*<\/summary>|<\/details>|<sub>|<\/sub>|<code>|<\/code>|<br>)\n?$/;

describe('diff markdown with hostile names in the proposal', () => {
  it('renders no element, link or mention from the policy', async () => {
    const hostileActions = HOSTILE.map((h) => `${h.replace(/:/g, '')}:Get`).concat(HOSTILE.map((h) => `s3:${h}`));
    const proposed = doc(
      { Effect: 'Allow', Action: hostileActions, Resource: HOSTILE.map((h) => `arn:aws:s3:::b/${h}`) },
      { Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { [HOSTILE[1]]: HOSTILE } } },
    );
    const current = doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/x' });
    const report = await diffDocuments({ current: set(current, 'c.json'), proposed: set(proposed, 'p.json'), currentSource: `/home/me/${HOSTILE[1]}/c.json`, proposedSource: '/tmp/out' });
    const text = renderMarkdown(report);
    const tokens = md.parse(text, {});
    for (const t of tokens) if (t.type === 'html_block') for (const line of t.content.split('\n').filter(Boolean)) expect(line).toMatch(/^(<details><summary>.*<\/summary>|<\/details>)$/);
    for (const t of tokens.flatMap((x) => x.children ?? [])) {
      if (t.type === 'html_inline') expect(t.content).toMatch(OWN_HTML);
      if (t.type === 'text') expect(t.content).not.toMatch(GITHUB_LINKS);
    }
    expect(liveInline(tokens).filter((t) => !['html_inline', 'strong_open', 'strong_close'].includes(t.type))).toEqual([]);
    // Summaries: only <code> with escaped text inside.
    for (const m of text.matchAll(/<summary>(.*)<\/summary>/g)) expect(m[1].replace(/<\/?code>/g, '')).not.toMatch(/[<>]/);
    expect(text).not.toMatch(/\u202e/);
    expect(text).not.toContain('/home/me');
    expect(text).not.toContain('/tmp/out');
  });

  it('fits one comment, cutting long lists with a count and pointing at the JSON', async () => {
    const many = Array.from({ length: 400 }, (_, i) => `arn:aws:s3:::bucket-${i}/${'k'.repeat(150)}/*`);
    const proposed = doc({ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: many });
    const report = await diffDocuments({ current: set(doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::x/*' }), 'c.json'), proposed: set(proposed, 'p.json'), currentSource: 'c.json', proposedSource: 'p.json' });
    const text = renderMarkdown(report);
    expect(text.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(text).toMatch(/more/);
    expect(text).toContain('--format json');
  });
});
