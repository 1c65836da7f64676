// Rendering markdown as GitHub would (CommonMark + GFM tables and strikethrough, raw HTML on, linkify on) to
// check that text from trails and policies made no element, link, mention or reference.
import MarkdownIt from 'markdown-it';

export type Token = ReturnType<InstanceType<typeof MarkdownIt>['parse']>[number];
export const md = new MarkdownIt({ html: true, linkify: true });

/** Token types in document order, inline children included: the structure of the rendering. */
export function shape(tokens: Token[]): string[] {
  return tokens.flatMap((t) => [`${t.type}:${t.tag}`, ...(t.children ?? []).map((c) => `${c.type}:${c.tag}`)]);
}

/** The content of the inline tokens of one kind (text, code_inline), in order. */
export function contents(tokens: Token[], type: string): string[] {
  return tokens.flatMap((t) => (t.children ?? []).filter((c) => c.type === type).map((c) => c.content));
}

/** What GitHub would still link on a text node: mentions, references, bare URLs, emoji. */
export const GITHUB_LINKS = /@[A-Za-z0-9]|#\d|GH-\d|:\/\/|www\.|:[a-z0-9_+-]+:/i;

/** Inline tokens other than text, code spans and breaks: links, images, emphasis, raw HTML. */
export function liveInline(tokens: Token[]): Token[] {
  return tokens.flatMap((t) => (t.children ?? []).filter((c) => !['text', 'code_inline', 'softbreak', 'hardbreak'].includes(c.type)));
}

/** The hostile values: an S3 key that closes a code span, an action name that closes HTML. */
export const HOSTILE = [
  'k`<img src=https://x.example/p.png> [Approve](https://x.example) @someone `x',
  's3:GetObject</code></summary><!-- @org/team #1',
  'arn:aws:s3:::b/\u202Egnp.exe\u2066x\u2069\u200b\nnext | cell',
  '``` fenced ```',
  '`',
  ' ` ',
  '|a|b|',
  '\\|`|`\\',
  '![i](https://x.example/i.png) <https://x.example> www.x.example a@b.example GH-12 owner/repo#3 :smile: $x^2$',
  '# heading',
  '1. item',
  '- item',
  '> quote',
  '***',
  '<script>alert(1)</script>',
  '&lt;b&gt; &amp;',
  '[x]: https://x.example',
  '~~strike~~ **bold** _em_',
  '<details open>',
];
