// Actions whose use CloudTrail cannot show in a default trail, so "allowed but never seen" says nothing
// about whether a build needs them. They are marked "unknown", never "unused". The list, with a reason and a
// source per entry, is src/translation/data/unlogged.json ("neverLogged").
import { NEVER_LOGGED } from '../translation/unlogged-table.js';
import { actionMatches } from '../iam/glob.js';

export { NEVER_LOGGED, type NeverLogged } from '../translation/unlogged-table.js';

/** Why CloudTrail would not show `action`, or undefined when it would. */
export function neverLoggedReason(action: string): string | undefined {
  return NEVER_LOGGED.find((n) => actionMatches(n.action, action))?.reason;
}
