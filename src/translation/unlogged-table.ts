// What CloudTrail cannot show (data/unlogged.json), read by translation (companions of a logged call, S3
// object access without data events), synthesis (a companion follows its call's denials; what a project's
// configuration makes a build need), diff (actions whose non-use proves nothing) and the lookup source (event
// history has no data events). Nothing else holds these lists.
import { UNLOGGED } from './tables.js';
import type { Companion, ProjectNeed, ProjectNeedName } from './table-schemas.js';

export type { Companion, ProjectNeed, ProjectNeedName };

export interface NeverLogged {
  /** An action or an action pattern. */
  action: string;
  reason: string;
  source: string;
}

const NO_COMPANIONS: readonly Companion[] = [];

/** The permissions a logged `action` implies but CloudTrail never records, in table order. */
export function companionsOf(action: string): readonly Companion[] {
  return Object.prototype.hasOwnProperty.call(UNLOGGED.implied, action) ? UNLOGGED.implied[action] : NO_COMPANIONS;
}

/** The logged actions whose calls imply `companion` and grant it with them, in table order. */
export function impliedBy(companion: string): string[] {
  return Object.entries(UNLOGGED.implied)
    .filter(([, list]) => list.some((c) => c.grant && c.action === companion))
    .map(([parent]) => parent);
}

/** Companion action -> the actions that imply it, granted on their own resources (resource "same"). */
export function grantedOnSameResource(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [parent, list] of Object.entries(UNLOGGED.implied)) {
    for (const c of list) if (c.grant && c.resource === 'same') out.set(c.action, [...(out.get(c.action) ?? []), parent]);
  }
  return out;
}

/** Actions and patterns whose use a default trail does not show, one entry per action, in table order. */
export const NEVER_LOGGED: readonly NeverLogged[] = UNLOGGED.neverLogged.flatMap((g) => g.actions.map((action) => ({ action, reason: g.reason, source: g.source })));

/** S3 object calls: what shows that the trail records them, and what is listed when it does not. */
export const OBJECT_ACCESS = UNLOGGED.objectAccess;

/** The warning for a source that holds management events only (CloudTrail event history). */
export const EVENT_HISTORY_WARNING = UNLOGGED.eventHistory.warning;

/** What a project setting makes a build need (actions, and why after the field's name). */
export function projectNeed(name: ProjectNeedName): ProjectNeed {
  return UNLOGGED.projectNeeds[name];
}
