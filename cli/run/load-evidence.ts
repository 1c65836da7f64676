// Chooses the source from the flags, reads the role's events, and returns them as evidence. Shared by
// `generate` and `verify`.
import type { SourceFlags } from '../shared/flags.js';
import { InputError } from '../errors.js';
import type { BuildInfo, Evidence, ProjectConfig } from '../../src/model.js';
import { assertOneRole, parseRoleSpec, type RoleSpec } from '../../src/sources/role-match.js';
import { assertRoleSeen } from '../../src/sources/role-not-seen.js';
import type { Scanned, Source, SourceQuery } from '../../src/sources/source.js';
import { parseWindow } from '../../src/sources/time-window.js';
import { toEvidence } from '../../src/translation/aggregate.js';
import { warnHiddenInput } from '../shared/read-warnings.js';
import { openSource, sourceKind } from './sources/open-source.js';

export interface LoadedEvidence {
  evidence: Evidence;
  projects: ProjectConfig[];
  builds: BuildInfo[];
  scanned?: Scanned;
}

async function resolveRole(flags: SourceFlags, source: Source): Promise<RoleSpec> {
  if (flags.role) return parseRoleSpec(flags.role);
  // Only --project names a role by itself (the lookup source reads it from the project).
  const role = flags.project ? await source.role?.() : undefined;
  if (role) return parseRoleSpec(role);
  throw new InputError('--role <name-or-arn> is required (or --project <name> with the lookup source, which reads the role from the project)');
}

/** `context`: keep the condition-key values of the records with each fact, which verify replays. */
export async function loadEvidence(flags: SourceFlags, progress: (line: string) => void, signal: AbortSignal, context = false): Promise<LoadedEvidence> {
  const kind = sourceKind(flags);
  const window = parseWindow(flags.since, flags.until);
  const { source, close } = await openSource(kind, flags);
  try {
    const role = await resolveRole(flags, source);
    const query: SourceQuery = { role, since: window.since, until: window.until, strict: flags.strict === true, progress, signal, context };
    const r = await source.read(query);
    const evidence = toEvidence(r.agg, role.input, { since: window.since?.toISOString(), until: window.until?.toISOString() }, r.stats, r.warnings);
    if (r.scanned) evidence.scanned = r.scanned;
    warnHiddenInput(evidence.read, r.loud);
    assertOneRole(role, evidence.roles ?? []);
    assertRoleSeen(role, evidence.read, { source: source.kind, where: r.where, paths: flags.logs, windowed: Boolean(window.since || window.until), closest: r.closestRoles });
    return { evidence, projects: r.projects, builds: r.builds, scanned: r.scanned };
  } finally {
    close();
  }
}
