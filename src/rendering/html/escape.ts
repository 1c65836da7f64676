// Text from trails and policies is attacker-controlled: every value reaches the page through escapeHtml,
// which makes it inert both as element text and inside a double-quoted attribute. Invisible and bidi
// characters are shown by the same rule as in report.md (showInvisible), so both reports show them alike.
import { showInvisible } from '../markdown/escape.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Escapes HTML specials after showing invisible and direction-changing characters as <U+XXXX>. */
export function escapeHtml(text: string): string {
  return showInvisible(text).replace(/[&<>"'`]/g, (c) => ENTITIES[c]);
}

/** A CSS class name from a fixed vocabulary: never from input text. */
export type StatusClass = 'granted' | 'denied' | 'failed' | 'implied' | 'inferred' | 'unobservable' | 'removed' | 'not-proven' | 'not-granted' | 'added' | 'kept' | 'unused';
