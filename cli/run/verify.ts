// `verify`: the documents from files, the observed requests from any source, the verdict from the evaluator.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { VerifyFlags } from '../shared/flags.js';
import { CheckFailed, InputError } from '../errors.js';
import { policyFiles as policyFileNames } from '../../src/iam/document-names.js';
import { readPolicyFile } from '../shared/policy-file.js';
import { replay, type ReplayReport } from '../../src/verification/replay.js';
import { safeValue } from '../../src/verification/request-context.js';
import { addUnloggedNeeds } from '../../src/translation/unlogged.js';
import { loadEvidence } from './load-evidence.js';
import { loadInferred } from '../shared/inferred.js';
import { makeProgress } from '../shared/progress.js';

function policyFiles(flags: VerifyFlags): { identity: string[]; boundary?: string } {
  const identity: string[] = [];
  let boundary = flags.boundary;
  for (const p of flags.policy ?? []) {
    if (!existsSync(p)) throw new InputError(`--policy ${p} does not exist`);
    if (statSync(p).isDirectory()) {
      const names = policyFileNames(readdirSync(p));
      if (names.length === 0) throw new InputError(`--policy ${p} has no policy.json; give the --out directory of generate or a policy file`);
      identity.push(...names.map((n) => join(p, n)));
      if (boundary === undefined && existsSync(join(p, 'boundary.json'))) boundary = join(p, 'boundary.json');
    } else identity.push(p);
  }
  if (identity.length === 0) throw new InputError('verify needs --policy <file-or-dir>');
  return { identity, boundary };
}

const KEY = /^[A-Za-z0-9-]+:[A-Za-z0-9_.:/@+=,*-]+$/;

/** --assume KEY=VALUE (repeatable): values by key; a key given twice is multivalued. */
export function parseAssume(values: readonly string[] | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const raw of values ?? []) {
    const eq = raw.indexOf('=');
    const key = eq > 0 ? raw.slice(0, eq) : '';
    if (!KEY.test(key)) throw new InputError('--assume needs KEY=VALUE with a condition key such as aws:PrincipalOrgID (e.g. --assume aws:PrincipalOrgID=o-abc123)');
    const canonical = Object.keys(out).find((k) => k.toLowerCase() === key.toLowerCase()) ?? key;
    (out[canonical] ??= []).push(raw.slice(eq + 1));
  }
  return out;
}

function printText(report: ReplayReport, against: string): void {
  const w = (line: string): boolean => process.stdout.write(`${line}\n`);
  const kinds = `${report.byKind.observed} observed, ${report.byKind.inferred} inferred, ${report.byKind.implied} implied`;
  w(
    `${report.requests} distinct request(s) (${kinds}; ${report.events} event(s)) replayed against ${against}: ${report.denied.length} denied, ${report.undecided.length} undecided`,
  );
  for (const d of report.denied) {
    w(`DENIED ${d.action} on ${d.resource}${d.region ? ` in ${d.region}` : ''} (${d.kind}, ${d.events} event(s), e.g. ${d.sampleEventIds[0] ?? 'n/a'}): ${d.why}`);
  }
  for (const d of report.undecided) {
    w(`UNDECIDED ${d.action} on ${d.resource}${d.region ? ` in ${d.region}` : ''} (${d.kind}, ${d.events} event(s)): ${d.why}`);
  }
  // Implied needs come one per resource (a log stream per build): one line per action and reason.
  const implied = new Map<string, { first: ReplayReport['impliedDenied'][number]; n: number }>();
  for (const d of report.impliedDenied) {
    const k = `${d.action}\u0000${d.why}`;
    const g = implied.get(k);
    if (g) g.n++;
    else implied.set(k, { first: d, n: 1 });
  }
  for (const { first: d, n } of implied.values()) {
    const where = n === 1 ? `${d.resource}${d.region ? ` in ${d.region}` : ''}` : `${n} resources, e.g. ${d.resource}`;
    w(`NOT GRANTED (implied, never in CloudTrail) ${d.action} on ${where}: ${d.why}`);
  }
  if (report.undecidedKeys.length) {
    w(`The records cannot tell ${report.undecidedKeys.join(', ')}; give each with --assume KEY=VALUE (e.g. --assume ${report.undecidedKeys[0]}=...)`);
  }
}

export async function runVerify(flags: VerifyFlags): Promise<void> {
  const files = policyFiles(flags);
  const identity = files.identity.map((p) => readPolicyFile(p, '--policy'));
  const boundary = files.boundary ? readPolicyFile(files.boundary, '--boundary') : undefined;
  const scp = (flags.scp ?? []).map((p) => readPolicyFile(p, '--scp'));
  const assume = parseAssume(flags.assume);
  const json = flags.json === true || flags.format === 'json';
  const progress = makeProgress(flags.quiet === true || json);
  const controller = new AbortController();
  const loaded = await loadEvidence(flags, progress.update, controller.signal, true);
  progress.done();
  const evidence = addUnloggedNeeds(loaded.evidence);
  const inferred = loadInferred({ projectFile: flags.projectFile }, loaded.projects, evidence.partition);
  const report = replay(evidence, identity, { boundary, scp, assume, inferred: inferred.facts });
  const against = [files.identity.join(', '), ...(files.boundary ? [files.boundary] : []), ...(flags.scp ?? []).map((f) => `SCP ${f}`)].join(' and ');
  if (json) {
    process.stdout.write(`${JSON.stringify({ policies: files.identity, boundary: files.boundary ?? null, scps: flags.scp ?? [], assumed: assume, ...report }, null, 2)}\n`);
  } else {
    printText(report, against);
    // Calls that map to no IAM action cannot be replayed: say so, so that "0 denied" is not read as covering them.
    for (const u of evidence.untranslatable) {
      process.stdout.write(`NOT REPLAYED ${safeValue(u.eventSource)} ${safeValue(u.eventName)} (${u.count} event(s), e.g. ${safeValue(u.sampleEventIds[0] ?? 'n/a')}): no IAM action to check; see the report's records not turned into permissions\n`);
    }
  }
  const problems: string[] = [];
  if (report.denied.length) problems.push(`${report.denied.length} request(s) would be denied`);
  if (report.undecided.length) problems.push(`${report.undecided.length} request(s) depend on keys the records cannot tell (${report.undecidedKeys.join(', ')}); give them with --assume KEY=VALUE`);
  if (problems.length) throw new CheckFailed(problems.join('; '));
}
