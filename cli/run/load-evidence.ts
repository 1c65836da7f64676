// Chooses the source from the flags, reads the role's events, and returns them as evidence. Shared by
// `generate` and `verify`.
import type { SourceFlags } from '../commands/source-options.js';
import { InputError } from '../errors.js';
import type { BuildInfo, Evidence, ProjectConfig } from '../../src/model.js';
import { readFiles } from '../../src/sources/files/read-files.js';
import { assertOneRole, parseRoleSpec, type RoleSpec } from '../../src/sources/role-match.js';
import { assertRoleSeen } from '../../src/sources/role-not-seen.js';
import type { SourceOutput, SourceQuery } from '../../src/sources/source.js';
import { parseWindow } from '../../src/sources/time-window.js';
import { aggregateRecords, evidenceFrom } from '../../src/translation/collect.js';
import { warnHiddenInput } from './read-warnings.js';

export interface LoadedEvidence {
  evidence: Evidence;
  projects: ProjectConfig[];
  builds: BuildInfo[];
  scanned?: SourceOutput['scanned'];
}

function sourceKind(flags: SourceFlags): NonNullable<SourceFlags['source']> {
  if (flags.source) return flags.source;
  return flags.logs?.length ? 'files' : 'lookup';
}

function parseWorkers(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new InputError(`--workers ${v} is not a whole number from 1 to 256`);
  return n;
}

async function resolveRole(flags: SourceFlags, kind: string): Promise<RoleSpec> {
  if (flags.role) return parseRoleSpec(flags.role);
  if (kind === 'lookup' && flags.project) {
    const { resolveProjectRole } = await import('./sources/lookup.js');
    const role = await resolveProjectRole(flags);
    if (role) return parseRoleSpec(role);
  }
  throw new InputError('--role <name-or-arn> is required (or --project <name> with the lookup source, which reads the role from the project)');
}

/** `context`: keep the condition-key values of the records with each fact, which verify replays. */
export async function loadEvidence(flags: SourceFlags, progress: (line: string) => void, signal: AbortSignal, context = false): Promise<LoadedEvidence> {
  const kind = sourceKind(flags);
  if (kind === 'files' && !flags.logs?.length) throw new InputError('--source files needs --logs <path>');
  if (kind !== 'files' && flags.logs?.length) throw new InputError(`--logs reads local files; it does not go with --source ${kind}`);
  const window = parseWindow(flags.since, flags.until);
  // Loaded only for the AWS sources: the SDK's config loader costs start-up time the files source need not pay.
  if (kind !== 'files') await (await import('../../src/sources/aws-profile.js')).assertProfileExists(flags.profile);
  const role = await resolveRole(flags, kind);
  const query: SourceQuery = { role, since: window.since, until: window.until, strict: flags.strict === true, progress, signal, context };
  const windowOut = { since: window.since?.toISOString(), until: window.until?.toISOString() };
  let evidence: Evidence;
  let out: SourceOutput | undefined;
  let closest: string[] | undefined;
  if (kind === 'files') {
    const r = await readFiles({ ...query, paths: flags.logs ?? [], workers: parseWorkers(flags.workers) });
    evidence = evidenceFrom(r.agg, role.input, windowOut, r.stats, r.warnings);
    closest = r.closestRoles;
    warnHiddenInput(evidence.read, r.loud);
  } else {
    const open =
      kind === 'lookup'
        ? (await import('./sources/lookup.js')).openLookupSource
        : kind === 'athena'
          ? (await import('./sources/athena.js')).openAthenaSource
          : (await import('./sources/lake.js')).openLakeSource;
    out = await open(flags, query);
    const agg = await aggregateRecords(out.records, { context });
    evidence = evidenceFrom(agg, role.input, windowOut, out.stats, out.warnings);
    if (out.scanned) evidence.scanned = out.scanned;
  }
  assertOneRole(role, evidence.roles ?? []);
  assertRoleSeen(role, evidence.read, { source: kind, paths: flags.logs ?? [], windowed: Boolean(window.since || window.until), closest });
  return { evidence, projects: out?.projects ?? [], builds: out?.builds ?? [], scanned: out?.scanned };
}
