// Runs one command as a child process and measures its wall time and the peak resident memory of its process
// tree. Worker threads share their process, so a process's VmRSS already covers them; child processes are
// found through /proc/<pid>/task/<tid>/children and their memory is summed.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Measured {
  wallMs: number;
  /** Peak of the summed VmRSS of the tree over the samples, in bytes. */
  peakRssBytes: number;
  /** User + system CPU time of the tree (from GNU time; undefined without it). Less sensitive to other load. */
  cpuMs?: number;
  stdout: string;
  stderr: string;
  code: number | null;
}

const SAMPLE_MS = 50;

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0; // the process ended between listing and reading
  }
}

function descendants(pid: number, into: number[] = []): number[] {
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return into;
  }
  for (const tid of tids) {
    let kids = '';
    try {
      kids = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8');
    } catch {
      continue;
    }
    for (const k of kids.split(' ')) {
      if (k.trim() === '') continue;
      into.push(Number(k));
      descendants(Number(k), into);
    }
  }
  return into;
}

/** GNU time reports a process's exact peak RSS (ru_maxrss), where sampling could miss a short peak. */
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** Summed memory of the tree under `pids`: each process's high-water mark (VmHWM) is read at every sample, so
 *  a peak between two samples is not missed; summing per-process peaks can only overstate a tree's peak. */
function sampleTree(roots: number[], peaks: Map<number, number>, skipRoots: boolean): void {
  for (const root of roots) {
    for (const pid of skipRoots ? descendants(root) : [root, ...descendants(root)]) {
      const kb = Math.max(statusKb(pid, 'VmHWM'), statusKb(pid, 'VmRSS'));
      if (kb > (peaks.get(pid) ?? 0)) peaks.set(pid, kb);
    }
  }
}

/** Runs several commands at once (the floor uses one per core) and measures them as one tree. */
export function measure(cmds: { cmd: string; args: string[] }[], env: NodeJS.ProcessEnv = process.env): Promise<Measured> {
  const started = process.hrtime.bigint();
  const peaks = new Map<number, number>();
  let stdout = '';
  let stderr = '';
  const tmp = GNU_TIME ? mkdtempSync(join(tmpdir(), 'bench-time-')) : undefined;
  const timeFile = (i: number): string => join(tmp as string, `${i}.txt`);
  // Wrapped in GNU time, the root of each tree is `time` itself: it is not counted, its child is.
  const children = cmds.map(({ cmd, args }, i) =>
    GNU_TIME
      ? spawn(GNU_TIME, ['-f', '%M %U %S', '-o', timeFile(i), cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env })
      : spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env }),
  );
  for (const c of children) {
    c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  }
  const pids = children.map((c) => c.pid).filter((p): p is number => p !== undefined);
  const skipRoots = GNU_TIME !== undefined;
  sampleTree(pids, peaks, skipRoots);
  const timer = setInterval(() => sampleTree(pids, peaks, skipRoots), SAMPLE_MS);
  return Promise.all(
    children.map(
      (c) =>
        new Promise<number | null>((resolve, reject) => {
          c.on('error', reject);
          // 'exit' may come before the last sample; the HWM read at the previous sample is kept.
          c.on('exit', (code) => resolve(code));
        }),
    ),
  ).then((codes) => {
    clearInterval(timer);
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    const bad = codes.find((c) => c !== 0);
    let sampled = 0;
    for (const kb of peaks.values()) sampled += kb;
    let reported = 0;
    let cpuMs: number | undefined;
    if (tmp) {
      cpuMs = 0;
      for (let i = 0; i < cmds.length; i++) {
        // The last line is "<max RSS kB> <user s> <system s>"; a line before it may say the exit status.
        const m = /(\d+) ([\d.]+) ([\d.]+)\s*$/.exec(readFileSync(timeFile(i), 'utf8'));
        if (!m) continue;
        reported += Number(m[1]);
        cpuMs += (Number(m[2]) + Number(m[3])) * 1000;
      }
      rmSync(tmp, { recursive: true, force: true });
    }
    const peak = Math.max(sampled, reported);
    return { wallMs, cpuMs, peakRssBytes: peak * 1024, stdout, stderr, code: bad === undefined ? 0 : bad };
  });
}
