// `generate`: flags -> evidence (./load-evidence.ts) -> inferred needs -> pipeline, self-check included -> the
// files in --out, or one document on stdout.
import type { GenerateFlags } from '../shared/flags.js';
import { InputError, RuntimeFailure } from '../errors.js';
import { refuseBroad } from '../../src/synthesis/refuse-broad.js';
import { runPipeline } from '../../src/pipeline.js';
import { writeOutputs } from '../../src/output/write-files.js';
import { loadEvidence } from './load-evidence.js';
import { makeProgress } from '../shared/progress.js';
import { loadInferred } from '../shared/inferred.js';
import { verifyHook } from '../shared/verify-hook.js';
import { renderStdout, exportFiles } from '../shared/export-formats.js';
import { readPolicyFile } from '../shared/policy-file.js';
import { generateSummary } from '../../src/rendering/summary.js';
import type { PipelineResult } from '../../src/pipeline.js';
import { printWarning } from '../report-error.js';
import { warnAttachmentQuota } from '../shared/quota-warning.js';

/** What was granted and what was not, and the flags that change it (stderr, unless --quiet). */
function summary(flags: GenerateFlags, result: PipelineResult): string {
  const projectConfig = result.evidence.facts.some((f) => f.origin === 'inferred');
  return generateSummary(result, { resources: flags.resources ?? 'generalize', projectConfig }).map((l) => `${l}\n`).join('');
}

export async function runGenerate(flags: GenerateFlags, globals: { debug?: boolean }): Promise<void> {
  const minBuilds = flags.minBuilds === undefined ? undefined : Number(flags.minBuilds);
  if (minBuilds !== undefined && (!Number.isInteger(minBuilds) || minBuilds < 1)) throw new InputError(`--min-builds ${flags.minBuilds} is not a whole number of at least 1`);
  if (flags.export !== undefined && !flags.out) throw new InputError('--export writes files next to the policy and needs --out <dir>; without --out, use --format terraform or cloudformation to print one on stdout');
  const progress = makeProgress(flags.quiet === true);
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  // --debug: how long each stage took, on stderr.
  const started = performance.now();
  const mb = (n: number): number => Math.round(n / 1048576);
  const timing = globals.debug
    ? (stage: string, ms: number): void => {
        const m = process.memoryUsage();
        process.stderr.write(`debug: ${stage}: ${Math.round(ms)} ms (main thread: rss ${mb(m.rss)} MB, heap ${mb(m.heapUsed)} MB)\n`);
      }
    : undefined;
  timing?.('start-up (node and modules, since the process started)', started);
  try {
    const loaded = await loadEvidence(flags, progress.update, controller.signal);
    progress.done();
    timing?.('read (since start)', performance.now() - started);
    const inferred = loadInferred(flags, loaded.projects, loaded.evidence.partition);
    const result = runPipeline(loaded.evidence, {
      resources: flags.resources ?? 'generalize',
      minBuilds,
      boundaryScope: flags.boundaryScope ?? 'services',
      inferred: inferred.facts,
      implied: flags.infer !== false,
      projectArns: inferred.projectArns,
      verify: verifyHook,
      currentTrust: flags.currentTrust ? readPolicyFile(flags.currentTrust, '--current-trust', 'resource') : undefined,
      timing,
    });
    const broad = result.safety.map((p) => `${p.sid ?? 'a statement'} ${p.problem}`).join('; ');
    const syn = result.synthesis;
    if (syn.statements.length === 0 && syn.notGranted.length > 0) {
      const most = Math.max(...syn.notGranted.map((n) => n.builds));
      throw new InputError(
        `nothing to grant: --min-builds ${minBuilds} dropped every need (${syn.notGranted.length} of them; the most builds any was seen in is ${most}); lower --min-builds to at most ${most}, and IAM rejects a policy without statements, so nothing was written`,
      );
    }
    if (syn.statements.length === 0) {
      const e = result.evidence;
      throw new InputError(
        `nothing to grant: the role's ${e.read.matched} event(s) were all denied (${result.synthesis.denied.length}), ignored (${e.ignored.length} kind(s)), untranslatable (${e.untranslatable.length} kind(s)) or refused (${e.refused.length}); IAM rejects a policy without statements, so nothing was written`,
      );
    }
    if (!flags.allowBroad) refuseBroad(result.safety);
    // Overridden, but never silently.
    if (result.safety.length) printWarning(`writing a broad policy because of --allow-broad: ${broad}`);
    warnAttachmentQuota(result.synthesis.policies.length);
    if (result.verification && result.verification.denied > 0) {
      throw new RuntimeFailure(
        `the generated policy would deny ${result.verification.denied} observed request(s), e.g. ${result.verification.details.slice(0, 3).join('; ')}${minBuilds !== undefined ? ` (with --min-builds ${minBuilds})` : ''}; this is a bug, please report it (nothing was written)`,
      );
    }
    if (flags.out) {
      const extra = exportFiles(flags, result);
      const written = writeOutputs(flags.out, { ...result.files, ...extra });
      timing?.('write (since start)', performance.now() - started);
      if (!flags.quiet) process.stderr.write(`${summary(flags, result)}wrote ${written.join(', ')} to ${flags.out}; report.md says what needs action\n`);
    } else {
      process.stdout.write(renderStdout(flags, result));
      if (!flags.quiet) process.stderr.write(summary(flags, result));
    }
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}
