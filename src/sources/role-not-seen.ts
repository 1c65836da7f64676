// A role with no event in what was read: say what was read (files, records, why files were skipped) and, for
// a trail on disk, the roles it does name that come closest, so a typo or a missing path shows at once.
import { NotFound, opt, say } from '../errors.js';
import type { Evidence, ReadStats } from '../model.js';
import type { RoleSpec } from './role-match.js';

export interface RoleSearch {
  /** The source read: `files`, `lookup`, `athena` or `lake`. */
  source: string;
  /** Where the source looked, as it says it (the files source: files, records, skips); else "from source X". */
  where?: string;
  /** The paths read by the files source. */
  paths?: readonly string[];
  /** Whether a time window bounded the read. */
  windowed: boolean;
  /** The files source's closest role ARNs in the trail (empty: the files name no role). */
  closest?: readonly string[];
}

/** "; 2 unusable (not-json: 1, unreadable-file: 1), e.g. <file>: <why>", or "" when every file was usable. */
function unusable(r: ReadStats): string {
  const problems = Object.entries(r.fileProblems).filter(([, n]) => (n ?? 0) > 0);
  if (problems.length === 0) return '';
  const total = problems.reduce((a, [, n]) => a + (n ?? 0), 0);
  const first = r.notes.find((n) => n.reason in r.fileProblems);
  return `; ${total} unusable (${problems.map(([k, n]) => `${k}: ${n}`).join(', ')})${first ? `, e.g. ${first.where}: ${first.detail}` : ''}`;
}

/** Where the files source looked, for the message when no record was the role's. */
export function filesWhere(r: ReadStats, paths: readonly string[]): string {
  return `in ${r.files} file(s) under ${paths.join(', ')} (${r.records} record(s) parsed; ${r.filesSkippedByContent} file(s) never mention the role, ${r.filesSkippedByName} are outside the window by name${unusable(r)})`;
}

/** Throws NotFound when no event of the role was read. */
export function assertRoleSeen(role: RoleSpec, read: Evidence['read'], search: RoleSearch): void {
  if (read.matched > 0) return;
  const paths = search.paths?.length ? search.paths : undefined;
  const where = search.where ?? (search.source === 'files' && paths ? filesWhere(read, paths) : say`from ${opt('source')} ${search.source}`);
  const closest = search.closest;
  const hint = closest?.length ? `; the closest roles in the trail: ${closest.join(', ')}` : closest ? '; the files read name no role' : '';
  throw new NotFound(
    say`no events of role ${role.input} ${where}${search.windowed ? ' inside the window' : ''}; check ${opt('role')} (name, or ARN with its path) and ${opt('since')}/${opt('until')}${hint}`,
    { missing: 'events of the role', option: 'role', value: role.input, ...(paths && { file: paths.join(', ') }) },
  );
}
