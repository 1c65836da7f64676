// `verify`: the documents from files, the observed requests from any source, the verdict from the evaluator.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { VerifyFlags } from '../commands/verify.js';
import { CheckFailed, InputError } from '../../src/errors.js';
import type { PolicyDocument } from '../../src/model.js';
import { readPolicyFile } from './policy-file.js';
import { replay } from '../../src/verification/replay.js';
import { loadEvidence } from './load-evidence.js';
import { makeProgress } from './progress.js';

const readPolicy = (path: string): PolicyDocument => readPolicyFile(path, '--policy');

function policyFiles(flags: VerifyFlags): { identity: string[]; boundary?: string } {
  const identity: string[] = [];
  let boundary = flags.boundary;
  for (const p of flags.policy ?? []) {
    if (!existsSync(p)) throw new InputError(`--policy ${p} does not exist`);
    if (statSync(p).isDirectory()) {
      const names = readdirSync(p).filter((f) => /^policy(-\d+)?\.json$/.test(f)).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
      if (names.length === 0) throw new InputError(`--policy ${p} has no policy.json; give the --out directory of generate or a policy file`);
      identity.push(...names.map((n) => join(p, n)));
      if (boundary === undefined && existsSync(join(p, 'boundary.json'))) boundary = join(p, 'boundary.json');
    } else identity.push(p);
  }
  if (identity.length === 0) throw new InputError('verify needs --policy <file-or-dir>');
  return { identity, boundary };
}

export async function runVerify(flags: VerifyFlags): Promise<void> {
  const files = policyFiles(flags);
  const identity = files.identity.map(readPolicy);
  const boundary = files.boundary ? readPolicy(files.boundary) : undefined;
  const json = flags.json === true || flags.format === 'json';
  const progress = makeProgress(flags.quiet === true || json);
  const controller = new AbortController();
  const loaded = await loadEvidence(flags, progress.update, controller.signal);
  progress.done();
  const report = replay(loaded.evidence, identity, boundary);
  if (json) {
    process.stdout.write(`${JSON.stringify({ policies: files.identity, boundary: files.boundary ?? null, ...report }, null, 2)}\n`);
  } else {
    process.stdout.write(
      `${report.requests} distinct request(s) (${report.events} event(s)) replayed against ${files.identity.join(', ')}${files.boundary ? ` and ${files.boundary}` : ''}: ${report.denied.length} denied\n`,
    );
    for (const d of report.denied) {
      process.stdout.write(`DENIED ${d.action} on ${d.resource}${d.region ? ` in ${d.region}` : ''} (${d.events} event(s), e.g. ${d.sampleEventIds[0] ?? 'n/a'}): ${d.why}\n`);
    }
  }
  if (report.denied.length) throw new CheckFailed(`${report.denied.length} observed request(s) would be denied`);
}
