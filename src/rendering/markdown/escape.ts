// The one place where text from outside (trails, policies, project configurations) is made safe for
// markdown that GitHub renders in pull requests: no live HTML, no links, no @-mentions or #-references,
// no hidden bidirectional text, no broken layout from newlines or backticks.

// Bidirectional and zero-width controls that can make text read differently from what it is (Trojan Source).
const INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
// C0/C1 controls other than tab; newlines are folded to spaces first.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

function visible(c: string): string {
  return `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

function oneLine(text: string): string {
  return text.replace(/\r\n?|\n|\u2028|\u2029/g, ' ');
}

/**
 * A code span for any text: the fence is one backtick longer than the longest run of backticks inside, and a
 * space pads content that starts or ends with a backtick (CommonMark 6.1). HTML is not interpreted inside a
 * code span, so only newlines and invisible characters need handling.
 */
export function inlineCode(text: string): string {
  const shown = oneLine(text).replace(INVISIBLE, (c) => `<${visible(c)}>`).replace(CONTROL, (c) => `<${visible(c)}>`);
  const longest = Math.max(0, ...[...shown.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = shown.startsWith('`') || shown.endsWith('`') || (shown.startsWith(' ') && shown.endsWith(' ') && shown.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${shown === '' ? ' ' : shown}${pad}${fence}`;
}

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/**
 * Plain text in running markdown: HTML specials become entities, the characters that open markdown constructs
 * mid-line are backslash-escaped (and list or heading markers at the start), `@name` and `#123` get a word
 * joiner so GitHub neither mentions nor links them, "://" and "www." are broken so nothing autolinks, and
 * invisible characters are shown by code point.
 */
export function escapeText(text: string): string {
  return (
    oneLine(text)
      .replace(INVISIBLE, (c) => `[${visible(c)}]`)
      .replace(CONTROL, (c) => `[${visible(c)}]`)
      // Before any entity is written, so the "#" of "&#39;" style entities is never touched.
      .replace(/[@#]/g, '$&\u2060')
      .replace(/[\\`*_[\]|~!#]/g, (c) => `\\${c}`)
      .replace(/[&<>"]/g, (c) => HTML[c])
      .replace(/^(\s*)([-+=]|\d+(?=[.)]))/, (_m, sp: string, mark: string) => (/^\d/.test(mark) ? `${sp}${mark}\\` : `${sp}\\${mark}`))
      // Autolinks (GFM's extension, markdown-it's linkify) need "://" or "www." unbroken.
      .replace(/:\/\//g, ':\u2060//')
      .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}\u2060.`)
  );
}
