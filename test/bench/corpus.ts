// The bench corpora: generated once into .bench/<size> by the shared generator (deterministic output), then
// reused. The big one (5M records) needs several GB of disk, so free space is checked first.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export type Size = 'small' | 'medium' | 'big';

export interface Corpus {
  dir: string;
  /** Every trail file (CloudTrail and digest), what the floor decompresses. */
  files: string[];
  gzBytes: number;
  records: number;
  /** Records of the role in the whole corpus (truth.json): what (b) must find. */
  roleRecords: number;
  uncompressedBytes: number;
  roleArn: string;
  window: [string, string];
}

const GEN_ARGS: Record<Size, string[]> = {
  small: ['--size', 'small'],
  medium: ['--size', 'medium'],
  big: ['--records', '5000000', '--files', '10000'],
};
/** Roughly what each corpus takes on disk, with room to spare (medium is ~150 MB gzipped). */
const NEEDS_GB: Record<Size, number> = { small: 0.1, medium: 0.5, big: 2 };

function freeGb(dir: string): number {
  const out = execFileSync('df', ['-Pk', dir], { encoding: 'utf8' }).trim().split('\n').pop() ?? '';
  return Number(out.split(/\s+/)[3]) / 1024 / 1024;
}

function listFiles(dir: string, into: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) listFiles(p, into);
    else if (/\.json(\.gz)?$/.test(e.name)) into.push(p);
  }
  return into;
}

export function ensureCorpus(root: string, size: Size, log: (s: string) => void): Corpus {
  const gen = resolve(root, '../shared/bench/gen-corpus.py');
  const dir = resolve(root, '.bench', size);
  const truthPath = join(dir, 'truth.json');
  if (!existsSync(truthPath)) {
    if (!existsSync(gen)) throw new Error(`${gen} is missing: the bench needs the shared corpus generator to make ${dir}`);
    const free = freeGb(resolve(root));
    if (free < NEEDS_GB[size]) throw new Error(`only ${free.toFixed(1)} GB free; the ${size} corpus needs about ${NEEDS_GB[size]} GB`);
    log(`generating the ${size} corpus into ${dir} (${free.toFixed(0)} GB free) ...`);
    // truth.json is written last, so a corpus without it is incomplete and is made again.
    const r = spawnSync('python3', [gen, ...GEN_ARGS[size], dir], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`the corpus generator failed (exit ${r.status})`);
  }
  const truth = JSON.parse(readFileSync(truthPath, 'utf8')) as {
    totalRecords: number;
    roleRecordsTotal: number;
    uncompressedBytes: number;
    roleArn: string;
    window: [string, string];
  };
  const files = listFiles(join(dir, 'AWSLogs'));
  const gzBytes = files.reduce((n, f) => n + statSync(f).size, 0);
  return { dir, files, gzBytes, records: truth.totalRecords, roleRecords: truth.roleRecordsTotal, uncompressedBytes: truth.uncompressedBytes, roleArn: truth.roleArn, window: truth.window };
}
