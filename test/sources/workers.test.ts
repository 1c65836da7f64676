// The parallel file reader gives the same result whatever the number of workers and whatever order the files
// are found in: hand-out order and merge order change with scheduling, the written files must not. Runs the
// built CLI on a corpus made by the shared generator (deterministic, many files, decoy principals).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasShared, sharedMissing, sharedPath, walkFiles } from '../support/shared.js';
import { CLI } from '../support/paths.js';

const GEN = sharedPath('bench', 'gen-corpus.py');
// report.html carries the per-build event spans, which workers merge like the facts.
const OUTPUTS = ['policy.json', 'evidence.json', 'report.html'] as const;

interface Truth {
  roleArn: string;
  roleRecordsTotal: number;
  totalRecords: number;
}

let tmp = '';
let corpus = '';
let truth: Truth;

/** The outputs of one `generate` run, by file name. */
function generate(logs: string[], extra: string[]): Record<(typeof OUTPUTS)[number], string> {
  const out = mkdtempSync(join(tmp, 'out-'));
  const args = [CLI, 'generate', ...logs.flatMap((l) => ['--logs', l]), '--role', truth.roleArn, '--quiet', '--out', out, ...extra];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`generate exited ${r.status}: ${r.stderr}`);
  const files = Object.fromEntries(OUTPUTS.map((name) => [name, readFileSync(join(out, name), 'utf8')])) as Record<(typeof OUTPUTS)[number], string>;
  rmSync(out, { recursive: true, force: true });
  return files;
}

/** Copies every file to a directory named so that walking finds the files in reverse, interleaved order. */
function shuffledCopy(from: string, to: string): number {
  const files = [...walkFiles(from)].filter((f) => f.endsWith('.json.gz'));
  const n = files.length;
  files.forEach((f, i) => {
    // Odd positions first, each half reversed: far from both the original and the reversed order.
    const rank = i % 2 === 1 ? (n - i) / 2 : n - i / 2;
    const dir = join(to, `d${String(Math.floor(rank)).padStart(4, '0')}`);
    mkdirSync(dir, { recursive: true });
    copyFileSync(f, join(dir, basename(f)));
  });
  return n;
}

describe.skipIf(!hasShared)('reader: the same result for any worker count and file order', () => {
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'codebuild-iam-workers-'));
    corpus = join(tmp, 'corpus');
    const r = spawnSync('python3', [GEN, '--records', '3000', '--files', '12', '--days', '2', corpus], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`gen-corpus.py failed (${r.status}): ${r.stderr}`);
    truth = JSON.parse(readFileSync(join(corpus, 'truth.json'), 'utf8')) as Truth;
  }, 120_000);
  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('--workers 1 and --workers 3 write byte-identical policy.json and evidence.json', () => {
    const one = generate([join(corpus, 'AWSLogs')], ['--workers', '1']);
    const three = generate([join(corpus, 'AWSLogs')], ['--workers', '3']);
    const ev = JSON.parse(one['evidence.json']) as { read: { records: number; matched: number; files: number } };
    // The run really read the whole corpus and found the role, so equality is not between two empty results.
    expect(ev.read.records).toBe(truth.totalRecords);
    expect(ev.read.matched).toBe(truth.roleRecordsTotal);
    expect(ev.read.files).toBe(12);
    for (const f of OUTPUTS) expect(three[f], f).toBe(one[f]);
  });

  it('with a window, and with skipped input reported from several workers, the bytes still match', () => {
    // Broken files and lines spread over the hand-out: their notes come back from different workers.
    const extra = join(tmp, 'extra');
    mkdirSync(extra, { recursive: true });
    writeFileSync(join(extra, 'a-truncated.json.gz'), gzipSync('{"Records":[{"eventTime":"2024-03-01T00:00:00Z"}]}').subarray(0, 20));
    // Files that do not name the role are skipped before parsing, so the broken ones name it.
    const role = truth.roleArn;
    writeFileSync(join(extra, 'b-lines.jsonl'), `{"eventTime":"2024-03-01T01:00:00Z","note":"${role}"}\nnot json\n{"eventName":"X","userIdentity":{}}\n`);
    writeFileSync(join(extra, 'c-shape.json'), JSON.stringify({ Items: [role] }));
    const logs = [join(corpus, 'AWSLogs'), extra];
    const window = ['--since', '2024-03-01T06:00:00Z', '--until', '2024-03-01T20:00:00Z'];
    const one = generate(logs, ['--workers', '1', ...window]);
    const three = generate(logs, ['--workers', '3', ...window]);
    const ev = JSON.parse(one['evidence.json']) as { read: { notes: unknown[]; matched: number } };
    expect(ev.read.notes.length).toBeGreaterThanOrEqual(3);
    expect(ev.read.matched).toBeGreaterThan(0);
    for (const f of OUTPUTS) expect(three[f], f).toBe(one[f]);
  });

  it('files found in a shuffled order give the same bytes as the original layout', () => {
    const shuffled = join(tmp, 'shuffled');
    // The 12 log files and the digest files beside them (digests are counted in evidence.json too).
    expect(shuffledCopy(join(corpus, 'AWSLogs'), shuffled)).toBeGreaterThanOrEqual(12);
    const original = generate([join(corpus, 'AWSLogs')], ['--workers', '2']);
    for (const workers of ['1', '3']) {
      const again = generate([shuffled], ['--workers', workers]);
      for (const f of OUTPUTS) expect(again[f], `${f} with --workers ${workers}`).toBe(original[f]);
    }
  });
});

describe.skipIf(hasShared)('reader: worker-count identity', () => {
  it.skip(`${sharedMissing} (the corpus generator ../shared/bench/gen-corpus.py is needed)`, () => {});
});
