// The one escaping routine for markdown (report.md, `diff --format markdown`, anything else). Text from trails
// and policies is attacker-controlled; these functions make it inert in GitHub-flavoured markdown: no HTML,
// no link, image, mention (@user), reference (#1, GH-1), autolink, emoji or math comes from it, invisible
// and bidi characters are shown as <U+XXXX>, and it never breaks out of a table cell or a line.

/** C0/C1 controls, bidi embeddings/overrides/isolates, zero-width and line/paragraph separators, BOM. */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufeff\ufff9-\ufffb]/gu;

const hex = (c: string): string => (c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');

/** Invisible and direction-changing characters as visible text, e.g. U+202E as `<U+202E>`. */
export function showInvisible(text: string): string {
  return text.replace(INVISIBLE, (c) => `<U+${hex(c)}>`);
}

/** A zero-width space: breaks @mentions, #references and autolinks without showing (written as an entity). */
const BREAK = '\u200b';

/**
 * Breaks what GitHub turns into links or elements after markdown is rendered (on text nodes). Runs after
 * showInvisible, so every zero-width space left in the text is one of these.
 */
function neutraliseGitHub(s: string): string {
  return (
    s
      // Mentions and e-mail autolinks: "@user", "a@b.example".
      .replace(/@/g, `@${BREAK}`)
      // Issue references "#1", "owner/repo#1" and "GH-1".
      .replace(/#/g, `#${BREAK}`)
      .replace(/\b(GH)-(?=\d)/gi, `$1-${BREAK}`)
      // URL autolinks: "https://x", "www.x".
      .replace(/:\/\//g, `:${BREAK}//`)
      .replace(/\b(www)\./gi, `$1${BREAK}.`)
      // Emoji shortcodes ":smile:".
      .replace(/:(?=[a-z0-9_+-]+:)/gi, `:${BREAK}`)
  );
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', [BREAK]: '&#8203;' };

/**
 * Text for a markdown context (paragraph, list item, table cell, heading): HTML special characters become
 * entities, markdown punctuation is backslash-escaped, mentions, references, autolinks and emoji are broken
 * with a zero-width space, and invisible characters are shown. Renders as the input text (plus <U+XXXX>).
 */
export function escapeText(text: string): string {
  let out = '';
  for (const c of neutraliseGitHub(showInvisible(text))) {
    if (c in ENTITIES) out += ENTITIES[c];
    else if (/[!#$()*+\-.[\\\]^_`{|}~=]/.test(c)) out += `\\${c}`;
    else out += c;
  }
  return out;
}

/** Text inside raw HTML (e.g. `<summary>`), where markdown is not parsed: entities only. */
export function escapeHtml(text: string): string {
  return neutraliseGitHub(showInvisible(text)).replace(/[&<>"'\u200b]/g, (c) => ENTITIES[c]);
}

/** `<code>text</code>` for raw HTML contexts such as `<details><summary>`. */
export function htmlCode(text: string): string {
  return `<code>${escapeHtml(text)}</code>`;
}

/**
 * A code span showing `text` literally: the backtick fence is longer than any backtick run inside, a space
 * pads content that starts or ends with a backtick or a space (CommonMark strips one from each side), `|`
 * is escaped so a table cell cannot be split (GitHub shows `\|` as `|` inside tables; elsewhere the
 * backslash shows), and invisible characters, line breaks included, are shown as <U+XXXX>.
 */
export function inlineCode(text: string): string {
  const body = showInvisible(text).replace(/\|/g, '\\|');
  if (body === '') return '` `';
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const allSpaces = /^ +$/.test(body);
  const pad = !allSpaces && (/^[` ]/.test(body) || /[` ]$/.test(body)) ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** Markdown for a list of items cut at `max`, with the count of what was cut: "a, b and 3 more". */
export function cutList(items: string[], max: number, fmt: (s: string) => string = inlineCode, sep = ', '): string {
  const shown = items.slice(0, max).map(fmt).join(sep);
  return items.length > max ? `${shown} and ${(items.length - max).toLocaleString('en-US')} more` : shown;
}
