// Outputs are replaced whole or not at all: no temporary files remain, a rerun over the same directory
// replaces every document (and removes policy parts the new run does not have), and a run that fails -
// the safety gate, bad input under --strict, no events, a directory in the way, Ctrl-C - leaves the previous
// outputs exactly as they were.
import { spawn } from 'node:child_process';
import { linkSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOSTILE_DIR, runCli, tempDir } from '../../fixtures/hostile/cli.js';
import { record, writeHugeFile } from '../../fixtures/hostile/make.js';
import { InvalidInput } from '../../src/errors.js';
import { MANIFEST, writeOutputs } from '../../src/output/write-files.js';
import { CLI } from '../support/paths.js';

const GOOD = join(HOSTILE_DIR, 'good.json');

function snapshot(dir: string): Record<string, { text: string; mtimeMs: number }> {
  const out: Record<string, { text: string; mtimeMs: number }> = {};
  for (const f of readdirSync(dir).sort()) {
    const st = statSync(join(dir, f));
    if (st.isFile()) out[f] = { text: readFileSync(join(dir, f), 'utf8'), mtimeMs: st.mtimeMs };
  }
  return out;
}

const leftovers = (dir: string): string[] => readdirSync(dir).filter((f) => f !== MANIFEST && (f.startsWith('.') || f.endsWith('.tmp')));

function gen(logs: string[], out: string, extra: string[] = []) {
  return runCli(['generate', ...logs.flatMap((l) => ['--logs', l]), '--role', 'cb-role', '--out', out, '--quiet', '--workers', '1', ...extra]);
}

function trailFile(records: Array<Record<string, unknown>>): string {
  const p = join(tempDir('atomic-in'), 'trail.json');
  writeFileSync(p, JSON.stringify({ Records: records }));
  return p;
}

/** Many distinct S3 objects, kept exact: a policy larger than one managed policy, so it is split. */
function bigTrail(): string {
  return trailFile(
    Array.from({ length: 260 }, (_, i) =>
      record(i, { eventSource: 's3.amazonaws.com', eventName: 'PutObject', requestParameters: { bucketName: 'artifacts', key: `release/component-${i}/package.zip` } }),
    ),
  );
}

/** A trail whose policy the safety gate refuses: GetObject seen on a named object and on an unknown one. */
function broadTrail(): string {
  return trailFile([
    record(1, { eventSource: 's3.amazonaws.com', eventName: 'GetObject', requestParameters: { bucketName: 'artifacts', key: 'a' } }),
    record(2, { eventSource: 's3.amazonaws.com', eventName: 'GetObject', requestParameters: { bucketName: 'artifacts' } }),
  ]);
}

describe('atomic outputs', () => {
  it('leaves no temporary files; a rerun replaces every file and drops policy parts it no longer has', async () => {
    const out = tempDir('atomic');
    const first = await gen([bigTrail()], out, ['--resources', 'exact']);
    expect(first.code, first.stderr).toBe(0);
    expect(readdirSync(out)).toContain('policy-2.json');
    expect(leftovers(out)).toEqual([]);

    const second = await gen([GOOD], out);
    expect(second.code, second.stderr).toBe(0);
    expect(leftovers(out)).toEqual([]);
    // The same bytes as a run into an empty directory: nothing of the first run survives.
    const fresh = tempDir('atomic-fresh');
    expect((await gen([GOOD], fresh)).code).toBe(0);
    const a = snapshot(out);
    const b = snapshot(fresh);
    expect(Object.keys(a)).toEqual(Object.keys(b));
    for (const f of Object.keys(a)) expect(a[f].text, f).toBe(b[f].text);
  });

  const failures: Array<[string, (out: string) => Promise<{ code: number; stderr: string }>, number]> = [
    ['the safety gate refuses a broad policy', (out) => gen([broadTrail()], out), 1],
    ['--strict meets a corrupt file', (out) => gen([GOOD, join(HOSTILE_DIR, 'corrupt.json.gz')], out, ['--strict']), 2],
    ['no event of the role', (out) => gen([join(HOSTILE_DIR, 'good.json')], out, ['--role', 'another-role']), 2],
    ['the logs path does not exist', (out) => gen(['/nonexistent/trail.json'], out), 2],
  ];
  for (const [what, run, code] of failures) {
    it(`a failed run (${what}) leaves the previous outputs untouched`, async () => {
      const out = tempDir('atomic');
      expect((await gen([GOOD], out)).code).toBe(0);
      const before = snapshot(out);
      const r = await run(out);
      expect(r.code, r.stderr).toBe(code);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(snapshot(out)).toEqual(before);
    });
  }

  it('the gate says why, and --allow-broad writes the same run', async () => {
    const out = tempDir('atomic');
    const refused = await gen([broadTrail()], out);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/refusing to write a broad policy: .*s3:GetObject on "\*" although the trail named its resources.*--allow-broad/);
    expect(readdirSync(out)).toEqual([]);
    const allowed = await gen([broadTrail()], out, ['--allow-broad']);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(readdirSync(out)).toContain('policy.json');
  });

  it('a directory in the way of an output: exit 2 before anything is replaced, no temporary files', async () => {
    const out = tempDir('atomic');
    expect((await gen([GOOD], out)).code).toBe(0);
    const before = snapshot(out);
    const blocked = join(out, 'trust.json');
    // Replace trust.json by a directory: the next run must not replace policy.json and then fail.
    rmSync(blocked);
    mkdirSync(blocked);
    const r = await gen([bigTrail()], out, ['--resources', 'exact']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/trust\.json exists and is not a file/);
    expect(leftovers(out)).toEqual([]);
    const after = snapshot(out);
    for (const f of Object.keys(before)) if (f !== 'trust.json') expect(after[f], f).toEqual(before[f]);
    expect(after['policy-2.json']).toBeUndefined();
  });

  it('writeOutputs: --out naming a file is an input error, and nothing is left behind', () => {
    const dir = tempDir('atomic');
    const file = join(dir, 'not-a-dir');
    writeFileSync(file, 'x');
    expect(() => writeOutputs(file, { 'policy.json': '{}' })).toThrow(InvalidInput);
    expect(readdirSync(dir)).toEqual(['not-a-dir']);
  });

  it('Ctrl-C while reading: exit 3 "interrupted; nothing was written", previous outputs untouched', async () => {
    const out = tempDir('atomic');
    expect((await gen([GOOD], out)).code).toBe(0);
    const before = snapshot(out);
    // Forty links to one 60 MB file: reading them all takes many seconds however fast the machine (one file
    // alone is read in well under a second, and the run could finish before the signal).
    const bigDir = tempDir('atomic-big');
    const big = writeHugeFile(bigDir, 60 * 1024 * 1024);
    const logs = join(bigDir, 'logs');
    mkdirSync(logs);
    for (let i = 0; i < 40; i++) linkSync(big.path, join(logs, `huge-${i}.json`));
    // --debug prints its first line once the Ctrl-C handler is installed: the signal is sent on that event, not
    // after a fixed delay (on a loaded machine Node alone can take longer than any delay chosen here).
    const child = spawn(process.execPath, [CLI, 'generate', '--logs', logs, '--role', 'cb-role', '--out', out, '--workers', '1', '--debug'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const closed = new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
    let stderr = '';
    let interrupted = false;
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      // Interrupt while the reader is at work, as a user pressing Ctrl-C would.
      if (!interrupted && stderr.includes('debug: start-up')) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    const code = await closed;
    expect(interrupted, stderr).toBe(true);
    expect(code, stderr).toBe(3);
    expect(stderr).toMatch(/^codebuild-iam: interrupted; nothing was written/m);
    expect(snapshot(out)).toEqual(before);
    expect(leftovers(out)).toEqual([]);
  });
});
