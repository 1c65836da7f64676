// The few lines `generate` ends with on stderr: what was granted, what was generalized, what was not granted
// and which flag would add it, and how many warnings; report.md has the detail. Values from trails are shown
// with control characters made visible, so a log value cannot drive the terminal.
import type { PipelineResult } from '../pipeline.js';
import { showInvisible } from './markdown/escape.js';

const n = (x: number): string => x.toLocaleString('en-US');
const plural = (k: number, one: string, many = `${one}s`): string => `${n(k)} ${k === 1 ? one : many}`;
const few = (items: string[], max = 3): string =>
  items.slice(0, max).map(showInvisible).join(', ') + (items.length > max ? ` and ${n(items.length - max)} more` : '');

export interface SummaryChoices {
  resources: 'generalize' | 'exact';
  minBuilds?: number;
  /** Whether a project configuration was given (--project-file, --project) and used. */
  projectConfig: boolean;
}

export function generateSummary(result: PipelineResult, choices: SummaryChoices): string[] {
  const { synthesis: syn, evidence: ev } = result;
  const actions = new Set(syn.statements.flatMap((s) => s.actions));
  const lines = [
    `granted ${plural(actions.size, 'action')} in ${plural(syn.statements.length, 'statement')} (${plural(syn.policies.length, 'document')}) from ${plural(ev.read.matched, 'event')} of ${plural(ev.builds.length, 'build')}`,
  ];
  if (syn.generalized.length) {
    const patterns = new Set(syn.generalized.map((g) => g.to));
    const from = new Set(syn.generalized.flatMap((g) => g.from));
    lines.push(`  generalized per build: ${plural(patterns.size, 'pattern')} standing for ${plural(from.size, 'observed resource')} (--resources exact keeps them exact)`);
  } else if (choices.resources === 'exact') {
    lines.push('  --resources exact: per-build resources granted one by one; the next build may be denied');
  }
  if (syn.denied.length) lines.push(`  denied, not granted: ${plural(syn.denied.length, 'call')} (${few(syn.denied.map((f) => `${f.action} on ${f.resource}`), 2)}); grant by hand only if the build needs it`);
  if (syn.notGranted.length) lines.push(`  not granted: ${plural(syn.notGranted.length, 'permission')} seen in too few builds (${few(syn.notGranted.map((g) => g.action))}); lower --min-builds to add them`);
  if (ev.unobserved.length && !choices.projectConfig) {
    lines.push(`  not granted: ${plural(ev.unobserved.length, 'need')} CloudTrail cannot show (${few([...new Set(ev.unobserved.map((u) => u.action))])}); add --project-file (aws codebuild batch-get-projects output) or --project`);
  }
  if (syn.unknownResource.length) lines.push(`  ${plural(syn.unknownResource.length, 'permission')} on a resource the trail did not name, granted as narrowly as the event allows`);
  if (result.warnings.length) lines.push(`  ${plural(result.warnings.length, 'warning')}: ${few(result.warnings, 1)}`);
  return lines;
}
