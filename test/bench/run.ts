// `npm run bench [-- --size small|medium|big] [--big] [--runs N] [--dist dir]` (default: medium, 3 runs): how
// close `codebuild-iam generate` gets to the decompression floor on a generated corpus. Cases run interleaved
// (a,b,c,d,a,b,c,d,...) so load from other processes hits them alike; the table shows each case's median and
// its ratio to the floor of the same run. --dist times another build (e.g. a patched copy of dist/).
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCorpus, type Corpus, type Size } from './corpus.js';
import { snapshotDist } from './snapshot.js';
import { measure, type Measured } from './measure.js';
import { formatReport, readCaseB, type CaseResult } from './report.js';
import { formatPage, measurePage } from './page.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const FLOOR_SCRIPT = join(ROOT, 'test', 'bench', 'gunzip-files.mjs');
const DAY_MS = 24 * 60 * 60 * 1000;
const LAST_MEDIUM = join(ROOT, '.bench', 'last-medium.md');
/** A role of the corpus's account that never appears in it: (d) measures how cheaply files are ruled out. */
const ABSENT_ROLE = 'arn:aws:iam::123456789012:role/service-role/bench-role-without-events';

interface Args {
  size: Size;
  runs: number;
  /** Another build to time instead of dist/ (e.g. a patched copy), to compare builds on the same corpus. */
  dist?: string;
}

function parseArgs(argv: string[]): Args {
  // The targets are stated for the medium corpus (1M records), so that is the default.
  const args: Args = { size: 'medium', runs: 3 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--size') {
      const v = value();
      if (v !== 'small' && v !== 'medium' && v !== 'big') throw new Error(`--size ${v}: expected small, medium or big`);
      args.size = v;
    } else if (a === '--big') args.size = 'big';
    else if (a === '--runs') {
      args.runs = Number(value());
      if (!Number.isInteger(args.runs) || args.runs < 1) throw new Error('--runs needs a whole number of at least 1');
    } else if (a === '--dist') args.dist = resolve(value());
    else throw new Error(`unknown flag ${a}; usage: npm run bench -- [--size small|medium|big] [--big] [--runs N] [--dist <dir>]`);
  }
  return args;
}

interface Case {
  key: 'a' | 'b' | 'c' | 'd';
  label: string;
  cmds: () => { cmd: string; args: string[] }[];
  /** Exit codes that mean the case worked (d: "no events of the role" is exit 2, by design). */
  okCodes: number[];
}

function cases(corpus: Corpus, work: string, CLI: string): Case[] {
  const cores = availableParallelism();
  // Files dealt round-robin to one list per core, each list gunzipped by its own process.
  const lists = Array.from({ length: cores }, () => [] as string[]);
  corpus.files.forEach((f, i) => lists[i % cores].push(f));
  const listFiles = lists.map((l, i) => {
    const p = join(work, `floor-${i}.txt`);
    writeFileSync(p, l.join('\n') + '\n');
    return p;
  });
  const logs = join(corpus.dir, 'AWSLogs');
  const since = new Date(Date.parse(corpus.window[0]));
  const until = new Date(since.getTime() + DAY_MS);
  const generate = (name: string, extra: string[]) => (): { cmd: string; args: string[] }[] => {
    const out = join(work, name);
    rmSync(out, { recursive: true, force: true });
    return [{ cmd: process.execPath, args: [CLI, 'generate', '--logs', logs, '--quiet', '--out', out, ...extra] }];
  };
  const iso = (d: Date): string => d.toISOString().replace('.000Z', 'Z');
  return [
    { key: 'a', label: `(a) floor: gunzip every file, ${cores} processes`, cmds: () => listFiles.map((l) => ({ cmd: process.execPath, args: [FLOOR_SCRIPT, l] })), okCodes: [0] },
    { key: 'b', label: '(b) generate, the role, no window', cmds: generate('b', ['--role', corpus.roleArn]), okCodes: [0] },
    { key: 'c', label: `(c) generate, one-day window (${iso(since)} + 1d)`, cmds: generate('c', ['--role', corpus.roleArn, '--since', iso(since), '--until', iso(until)]), okCodes: [0] },
    { key: 'd', label: '(d) generate, a role with no events', cmds: generate('d', ['--role', ABSENT_ROLE]), okCodes: [2] },
  ];
}

/** A fast run that read the wrong thing proves nothing: (b) must have read every record and found all the role's. */
function checkWholeRead(work: string, corpus: Corpus): void {
  const ev = JSON.parse(readFileSync(join(work, 'b', 'evidence.json'), 'utf8')) as { read: { records: number; matched: number } };
  if (ev.read.records !== corpus.records || ev.read.matched !== corpus.roleRecords) {
    throw new Error(`(b) read ${ev.read.records} records and matched ${ev.read.matched}; the corpus has ${corpus.records} and ${corpus.roleRecords} of the role`);
  }
}

/** report.md is read by a person: at most 64 KB whatever the trail (issue 19); evidence.json has the detail. */
const REPORT_LIMIT = 64 * 1024;

function checkReportSize(work: string): number {
  const bytes = statSync(join(work, 'b', 'report.md')).size;
  if (bytes > REPORT_LIMIT) throw new Error(`(b) wrote a report.md of ${bytes} bytes; it must stay under ${REPORT_LIMIT} whatever the trail size`);
  return bytes;
}

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function cpuMedian(ms: Measured[]): number | undefined {
  const xs = ms.map((m) => m.cpuMs).filter((x): x is number => x !== undefined);
  return xs.length ? median(xs) : undefined;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const log = (s: string): void => void process.stderr.write(`${s}\n`);
  // Small and medium exist after any run (small is also the probe of the dist/ copy); big only when asked for.
  ensureCorpus(ROOT, 'small', log);
  if (args.size === 'big') ensureCorpus(ROOT, 'medium', log);
  const corpus = ensureCorpus(ROOT, args.size, log);
  const work = mkdtempSync(join(tmpdir(), 'codebuild-iam-bench-'));
  const small = join(ROOT, '.bench', 'small', 'AWSLogs');
  const { cli: CLI, dispose } = snapshotDist(ROOT, ['generate', '--logs', small, '--role', corpus.roleArn, '--quiet', '--out', join(work, 'probe')], args.dist);
  const load = loadavg();
  try {
    const all = cases(corpus, work, CLI);
    const samples = new Map<string, Measured[]>(all.map((c) => [c.key, []]));
    const help: Measured[] = [];
    const bare: Measured[] = [];
    let reportBytes = 0;
    for (let run = 1; run <= args.runs; run++) {
      for (const c of all) {
        const m = await measure(c.cmds());
        if (!c.okCodes.includes(m.code ?? -1)) throw new Error(`${c.label} exited with ${m.code}: ${m.stderr.trim().slice(0, 500)}`);
        if (c.key === 'b') {
          checkWholeRead(work, corpus);
          reportBytes = checkReportSize(work);
        }
        samples.get(c.key)?.push(m);
        log(`run ${run}/${args.runs} ${c.label}: ${(m.wallMs / 1000).toFixed(2)} s, ${(m.peakRssBytes / 2 ** 20).toFixed(0)} MB`);
      }
      // Start-up: --help loads commander and the command modules, nothing else.
      // Start-up: --help loads commander and the command modules, nothing else. A bare `node -e ''` beside it
      // shows how much of that is Node itself (on a loaded machine, most of it).
      for (let i = 0; i < 3; i++) {
        help.push(await measure([{ cmd: process.execPath, args: [CLI, '--help'] }]));
        bare.push(await measure([{ cmd: process.execPath, args: ['-e', ''] }]));
      }
    }
    const results: CaseResult[] = all.map((c) => {
      const ms = samples.get(c.key) ?? [];
      return {
        key: c.key,
        label: c.label,
        wallMs: median(ms.map((m) => m.wallMs)),
        cpuMs: cpuMedian(ms),
        peakRssBytes: median(ms.map((m) => m.peakRssBytes)),
        walls: ms.map((m) => m.wallMs),
      };
    });
    const report = formatReport({
      size: args.size,
      runs: args.runs,
      corpus,
      results,
      help: { wallMs: median(help.map((m) => m.wallMs)), cpuMs: cpuMedian(help) },
      bareNode: { wallMs: median(bare.map((m) => m.wallMs)), cpuMs: cpuMedian(bare) },
      machine: `${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, Node ${process.version}, load average ${load.map((l) => l.toFixed(2)).join(' ')} at start`,
      // The 5M targets are relative to 1M: the last medium table, when there is one.
      medium: args.size === 'big' && existsSync(LAST_MEDIUM) ? readCaseB(readFileSync(LAST_MEDIUM, 'utf8')) : undefined,
    });
    const page = formatPage(await measurePage(join(work, 'b', 'report.html')));
    const sized = `${report.trimEnd()}\n\nreport.md of (b): ${reportBytes.toLocaleString('en-US')} bytes (limit ${REPORT_LIMIT.toLocaleString('en-US')}).\n${page}`;
    process.stdout.write(sized);
    writeFileSync(join(ROOT, '.bench', `last-${args.size}.md`), sized);
  } finally {
    rmSync(work, { recursive: true, force: true });
    dispose();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
