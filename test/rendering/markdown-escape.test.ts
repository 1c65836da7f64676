// The markdown escaper against a CommonMark/GFM renderer (markdown-it, tables and strikethrough on, raw HTML
// on as on GitHub, linkify on): text from trails must render as itself, and no element, link, mention or
// reference may come from it, in every context the reports put it (paragraph, list, table cell, heading,
// raw HTML summary).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeText, htmlCode, inlineCode, showInvisible } from '../../src/rendering/markdown/escape.js';
import { contents, GITHUB_LINKS, HOSTILE, md, shape } from '../support/markdown.js';

const ZWSP = /\u200b/g;

/** Entities only: raw HTML knows no backslash escapes. */
const decodeEntities = (s: string): string =>
  s.replace(/&(amp|lt|gt|quot|#39|#8203);/g, (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#8203': '\u200b' })[e] ?? '');

const contexts: Array<[string, (s: string) => string]> = [
  ['paragraph', (s) => `Before ${s} after.\n`],
  ['list item', (s) => `- ${s}\n- second\n`],
  ['table cell', (s) => `| a | b |\n|---|---|\n| ${s} | end |\n`],
  ['heading', (s) => `## ${s}\n`],
];

describe('escapeText', () => {
  for (const [name, wrap] of contexts) {
    it.each(HOSTILE.map((h) => [h]))(`${name}: %j renders as itself and adds no element`, (h) => {
      const tokens = md.parse(wrap(escapeText(h)), {});
      expect(shape(tokens)).toEqual(shape(md.parse(wrap('benign'), {})));
      const text = contents(tokens, 'text');
      expect(text.join('').replace(ZWSP, '')).toContain(showInvisible(h).trim());
      for (const t of text) expect(t).not.toMatch(GITHUB_LINKS);
    });
  }

  it('shows bidi and invisible characters', () => {
    expect(escapeText('a\u202Eb')).toBe('a&lt;U\\+202E&gt;b');
    expect(escapeText('x\u0000y\u2028')).toBe('x&lt;U\\+0000&gt;y&lt;U\\+2028&gt;');
  });

  it('any text renders as itself in a table cell (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'ab `|\\<>&@#*_[]()!~=:/.-1\n\u202e'.split('')), maxLength: 40 }), (s) => {
        fc.pre(s.trim() !== '');
        const tokens = md.parse(`| a |\n|---|\n| ${escapeText(s)} |\n`, {});
        expect(shape(tokens)).toEqual(shape(md.parse('| a |\n|---|\n| benign |\n', {})));
        expect(contents(tokens, 'text').slice(1).join('').replace(ZWSP, '')).toBe(showInvisible(s).trim());
      }),
      { numRuns: 500 },
    );
  });
});

describe('inlineCode', () => {
  for (const [name, wrap] of contexts) {
    it.each(HOSTILE.map((h) => [h]))(`${name}: %j is one code span with the text`, (h) => {
      const tokens = md.parse(wrap(inlineCode(h)), {});
      expect(shape(tokens)).toEqual(shape(md.parse(wrap('`benign`'), {})));
      const code = contents(tokens, 'code_inline');
      const shown = showInvisible(h);
      // Outside tables GitHub shows the backslash that keeps `|` from splitting a cell.
      expect(code).toEqual([name === 'table cell' ? shown : shown.replace(/\|/g, '\\|')]);
    });
  }

  it('any text is one code span in a table cell (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'a `|\\<@\n'.split('')), maxLength: 30 }), (s) => {
        const tokens = md.parse(`| a |\n|---|\n| ${inlineCode(s)} |\n`, {});
        expect(shape(tokens)).toEqual(shape(md.parse('| a |\n|---|\n| `x` |\n', {})));
        expect(contents(tokens, 'code_inline')).toEqual([showInvisible(s) === '' ? ' ' : showInvisible(s)]);
      }),
      { numRuns: 500 },
    );
  });

  it('fences longer than any backtick run and pads as CommonMark requires', () => {
    expect(inlineCode('a')).toBe('`a`');
    expect(inlineCode('a`b')).toBe('``a`b``');
    expect(inlineCode('`a')).toBe('`` `a ``');
    expect(inlineCode('a ``` b')).toBe('````a ``` b````');
  });
});

describe('escapeHtml in raw HTML (<details><summary>)', () => {
  it.each(HOSTILE.map((h) => [h]))('%j is entities only and decodes to itself', (h) => {
    const out = htmlCode(h);
    const inner = out.slice('<code>'.length, -'</code>'.length);
    expect(inner).toMatch(/^([^<>&"']|&(amp|lt|gt|quot|#39|#8203);)*$/);
    const decoded = decodeEntities(inner).replace(ZWSP, '');
    expect(decoded).toBe(showInvisible(h));
    const rendered = md.render(`<details><summary>${out}: 1 added</summary>\n\nbody\n\n</details>\n`);
    expect(rendered.match(/<[a-z!/][^>]*>/gi)).toEqual(['<details>', '<summary>', '<code>', '</code>', '</summary>', '<p>', '</p>', '</details>']);
    expect(escapeHtml(h).replace(/&#8203;/g, '\u200b').split('\u200b').join('')).not.toMatch(/[<>]/);
  });
});
