// Text from trails and policies is attacker-controlled: every value reaches the page through escapeHtml,
// which makes it inert both as element text and inside a double-quoted attribute.
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Escapes HTML specials, and shows bidi and other control characters as visible code points. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]|[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g, (c) => {
    const named = ENTITIES[c];
    if (named) return named;
    return `&lt;U+${c.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}&gt;`;
  });
}

/** A CSS class name from a fixed vocabulary: never from input text. */
export type StatusClass = 'granted' | 'denied' | 'failed' | 'implied' | 'inferred' | 'unobservable' | 'removed' | 'not-proven' | 'not-granted' | 'added' | 'kept' | 'unused';
