// The bench's markdown: one row per case (median wall time, corpus records per second, peak RSS of the process
// tree, each against the floor of the same run), then each target of issue 10 with whether it was met.
import type { Corpus, Size } from './corpus.js';

export interface CaseResult {
  key: 'a' | 'b' | 'c' | 'd';
  label: string;
  wallMs: number;
  /** User + system CPU time, when GNU time is there to measure it. */
  cpuMs?: number;
  peakRssBytes: number;
  /** Every run's wall time, in run order. */
  walls: number[];
}

export interface ReportInput {
  size: Size;
  runs: number;
  corpus: Corpus;
  results: CaseResult[];
  help: { wallMs: number; cpuMs?: number };
  bareNode: { wallMs: number; cpuMs?: number };
  machine: string;
  /** For the 5M corpus: (b)'s ratio and peak RSS in the last medium (1M) table, to check scaling against. */
  medium?: { ratio: number; rssMb: number };
}

/** (b)'s "x floor" and peak RSS from a table this file wrote (`.bench/last-medium.md`), if it has them. */
export function readCaseB(table: string): { ratio: number; rssMb: number } | undefined {
  const row = table.split('\n').find((l) => l.startsWith('| (b) generate'));
  const cells = row?.split('|').map((c) => c.trim());
  if (!cells || cells.length < 9) return undefined;
  const ratio = Number(cells[3]);
  const rssMb = Number(cells[7]);
  return Number.isFinite(ratio) && Number.isFinite(rssMb) ? { ratio, rssMb } : undefined;
}

const mb = (b: number): string => (b / 2 ** 20).toFixed(0);
const secs = (ms: number): string => (ms / 1000).toFixed(2);

export function formatReport(r: ReportInput): string {
  const get = (k: CaseResult['key']): CaseResult => {
    const c = r.results.find((x) => x.key === k);
    if (!c) throw new Error(`no result for case ${k}`);
    return c;
  };
  const floor = get('a');
  const b = get('b');
  const c = get('c');
  const d = get('d');
  const lines: string[] = [];
  lines.push(
    `Corpus \`${r.size}\`: ${r.corpus.files.length} files, ${r.corpus.records.toLocaleString('en-US')} records, ` +
      `${mb(r.corpus.gzBytes)} MB gzipped, ${mb(r.corpus.uncompressedBytes)} MB of JSON. ${r.runs} interleaved run(s), medians.`,
  );
  lines.push(`Machine: ${r.machine}.`, '');
  lines.push('| case | wall (s) | x floor | records/s | CPU (s) | x floor CPU | peak RSS (MB) | x floor RSS | every run, wall (s) |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const x of r.results) {
    const rate = Math.round(r.corpus.records / (x.wallMs / 1000)).toLocaleString('en-US');
    const cpu = x.cpuMs === undefined ? '-' : secs(x.cpuMs);
    const cpuRatio = x.cpuMs === undefined || floor.cpuMs === undefined ? '-' : (x.cpuMs / floor.cpuMs).toFixed(2);
    lines.push(
      `| ${x.label} | ${secs(x.wallMs)} | ${(x.wallMs / floor.wallMs).toFixed(2)} | ${rate} | ${cpu} | ${cpuRatio} | ${mb(x.peakRssBytes)} | ` +
        `${(x.peakRssBytes / floor.peakRssBytes).toFixed(2)} | ${x.walls.map(secs).join(', ')} |`,
    );
  }
  const cpuOf = (t: { cpuMs?: number }): string => (t.cpuMs === undefined ? '' : `, CPU ${t.cpuMs.toFixed(0)} ms`);
  lines.push(
    '',
    `Start-up: \`codebuild-iam --help\` ${r.help.wallMs.toFixed(0)} ms wall${cpuOf(r.help)}; a bare \`node -e ''\` ` +
      `${r.bareNode.wallMs.toFixed(0)} ms wall${cpuOf(r.bareNode)} on the same machine at the same time.`,
  );
  const targets: [string, string, boolean][] = [
    ['(b) wall <= 1.5x the floor', `${(b.wallMs / floor.wallMs).toFixed(2)}x`, b.wallMs <= 1.5 * floor.wallMs],
    ['(b) peak RSS < 300 MB (stated at 1M records)', `${mb(b.peakRssBytes)} MB`, b.peakRssBytes < 300 * 2 ** 20],
    ['(c) one-day window >= 3x faster than (b)', `${(b.wallMs / c.wallMs).toFixed(2)}x`, b.wallMs >= 3 * c.wallMs],
    ['(d) role with no events faster than (b)', `${(b.wallMs / d.wallMs).toFixed(2)}x`, d.wallMs < b.wallMs],
    ['`codebuild-iam --help` < 300 ms', `${r.help.wallMs.toFixed(0)} ms`, r.help.wallMs < 300],
  ];
  if (r.medium) {
    const ratio = b.wallMs / floor.wallMs;
    targets.push(
      ['(b) ratio at 5M <= the ratio at 1M (linear scaling)', `${ratio.toFixed(2)}x vs ${r.medium.ratio.toFixed(2)}x`, ratio <= r.medium.ratio],
      ['(b) peak RSS at 5M <= 1.2x the peak at 1M', `${mb(b.peakRssBytes)} MB vs ${r.medium.rssMb} MB`, b.peakRssBytes / 2 ** 20 <= 1.2 * r.medium.rssMb],
    );
  }
  lines.push('', '| target | measured | met |', '|---|---:|---|');
  for (const [name, got, ok] of targets) lines.push(`| ${name} | ${got} | ${ok ? 'yes' : 'NO'} |`);
  lines.push(
    '',
    "records/s is the corpus's record count over the wall time, for every case alike. CPU is user + system time " +
      'of the process tree: unlike wall time it barely moves when other processes share the cores.',
    '',
  );
  return lines.join('\n');
}
