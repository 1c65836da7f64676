// The big hostile inputs, made at test time by fixtures/hostile/make.ts: deep nesting, a 1 MB
// requestParameters, a ~100 MB file and a gzip bomb. Each is read or refused with a reason, the accounting
// holds, and nothing crashes or runs out of memory.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HOSTILE_DIR, generate, isOneLineMessage, readJson, tempDir } from '../../fixtures/hostile/cli.js';
import { writeBigParams, writeDeepNesting, writeGzipBomb, writeHugeFile } from '../../fixtures/hostile/make.js';
import type { PolicyDocument } from '../../src/model.js';
import { MAX_TEXT_BYTES } from '../../src/sources/files/scan-file.js';

const GOOD = join(HOSTILE_DIR, 'good.json');
const dir = tempDir('hostile-big');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sum = (o: Record<string, number>): number => Object.values(o).reduce((a, b) => a + b, 0);

describe('big and deep hostile inputs', () => {
  it('10,000 levels of nesting inside records are read; a document 100,000 arrays deep is a wrong-shape record', async () => {
    const [params, doc] = writeDeepNesting(join(dir, 'deep'));
    const r = await generate([params.path, doc.path]);
    expect(r.code, r.stderr).toBe(0);
    const read = r.evidence!.read;
    expect(read.records).toBe(params.records + doc.records);
    expect(read.matched).toBe(params.matched);
    expect(read.skipped).toEqual({ 'wrong-shape': 1 });
    expect(read.notes).toEqual([{ reason: 'wrong-shape', where: `${doc.path} record 0`, detail: 'a record is not a JSON object' }]);
    const strict = await generate([params.path, doc.path], ['--strict']);
    expect(strict.code).toBe(2);
    expect(isOneLineMessage(strict.stderr), strict.stderr).toBe(true);
    expect(strict.stderr).toContain(doc.path);
  });

  it('a 1 MB requestParameters is read and translated; its values stay out of the outputs', async () => {
    const made = writeBigParams(join(dir, 'params'));
    const r = await generate([made.path]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.evidence!.read.matched).toBe(made.matched);
    const policy = JSON.stringify(readJson<PolicyDocument>(r.out, 'policy.json'));
    expect(policy).toContain('log-group:/aws/codebuild/app');
    expect(JSON.stringify(r.evidence)).not.toContain('value-19999');
    expect(JSON.stringify(r.evidence)).not.toContain('xxxxxxxxxxxxxxxx');
  });

  it('a ~100 MB file: every record counted, read = matched + skipped', async () => {
    const made = writeHugeFile(join(dir, 'huge'));
    const started = Date.now();
    const r = await generate([made.path]);
    const secs = (Date.now() - started) / 1000;
    expect(r.code, r.stderr).toBe(0);
    const read = r.evidence!.read;
    expect(read.records).toBe(made.records);
    expect(read.matched).toBe(made.matched);
    expect(read.records).toBe(read.matched + sum(read.skipped));
    // Every 1000th record is broken (eventTime a number); the other half belongs to another role.
    expect(read.skipped['bad-event-time']).toBe(Math.floor(made.records / 1000));
    expect(read.skipped['other-principal']).toBe(made.records - made.matched - Math.floor(made.records / 1000));
    console.log(`~100 MB file: ${made.records} records read in ${secs.toFixed(1)} s`);
  });

  it(`a gzip bomb (more than ${MAX_TEXT_BYTES} bytes once inflated) is refused as too large`, async () => {
    const made = writeGzipBomb(join(dir, 'bomb'), MAX_TEXT_BYTES);
    const r = await generate([GOOD, made.path]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.evidence!.read.fileProblems).toEqual({ 'too-large': 1 });
    // The bomb inflates ~1000 times: it stops at 128 times its size (or 64 MiB), long before 400 MiB.
    expect(r.evidence!.read.notes).toEqual([
      { reason: 'too-large', where: made.path, detail: expect.stringMatching(/^decompresses to more than 128 times its size \(over \d+ bytes\).*gzip bomb/) },
    ]);
    expect(r.stderr).toContain(`warning: 1 file(s) were not read (too-large) and may hold the role's records: ${made.path}`);
    // (--strict on whole-file problems is the same path as for the small corrupt files in hostile.test.ts.)
  });
});
