// report.md's account of what the policy widened or left out on purpose: each generalization with the builds
// and tokens that justify it, the needs --min-builds dropped with their build counts, and the patterns the
// safety gate refused (present in written output only with --allow-broad).
import type { Synthesis } from '../synthesis/synthesize.js';
import type { EvidenceExtras } from './evidence.js';

const md = (s: string): string => s.replace(/[|`<>*_[\]\\]/g, (c) => `\\${c}`);
const code = (s: string): string => `\`${s.replace(/[|`]/g, (c) => `\\${c}`)}\``;

function firstOf(items: string[], n = 3): string {
  return `${items.slice(0, n).join('<br>')}${items.length > n ? ` and ${items.length - n} more` : ''}`;
}

export function generalizationSections(syn: Synthesis, extras: EvidenceExtras): string[] {
  const lines: string[] = [];
  if (syn.generalized.length) {
    lines.push(
      '## Generalized per-build identifiers',
      '',
      'A wildcard replaces only a per-build identifier: a UUID, timestamp, number, hash or random suffix in an object key, log stream, report ID or network interface, shown to be per-build by the builds below. Names of resources are never generalized.',
      '',
      '| Granted | Observed | Justified by (build: token) | Why |',
      '|---|---|---|---|',
    );
    for (const g of syn.generalized) {
      const because = g.because.map((j) => `${md(j.build)}: ${code(j.token)} (${md(j.reason)})`);
      lines.push(`| ${code(g.to)} | ${firstOf(g.from.map(code))} | ${firstOf(because)} | ${md(g.why)} |`);
    }
    lines.push('', 'Rerun with `--resources exact` to keep the observed ARNs.', '');
  }
  if (syn.minBuilds !== undefined) {
    lines.push(`## Needs seen in fewer than ${syn.minBuilds} build(s) (--min-builds ${syn.minBuilds})`, '');
    if (syn.notGranted.length === 0) lines.push(`None: every need was seen in at least ${syn.minBuilds} build(s), so --min-builds left the policy unchanged.`, '');
    else {
      lines.push('Not granted, and not replayed by the self-check:', '', '| Action | Resource | Builds | Observed |', '|---|---|---|---|');
      for (const n of syn.notGranted) lines.push(`| ${code(n.action)} | ${code(n.resource)} | ${n.builds} | ${firstOf(n.observed.map(code))} |`);
      lines.push('');
    }
  }
  if (extras.broad?.length) {
    lines.push('## Broad grants (refused by the safety gate, written only because of --allow-broad)', '');
    for (const b of extras.broad) lines.push(`- ${md(b)}`);
    lines.push('');
  }
  return lines;
}
