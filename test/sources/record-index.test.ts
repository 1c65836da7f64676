// The WebAssembly record index: which byte ranges are records, and which records must be decoded. It
// decides what the reader never looks at, so it is checked against JSON.parse on random documents (strings
// full of quotes, backslashes and brackets, at every alignment of its 64-byte blocks), and against forged
// records that must never be taken for the role's.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { record, ROLE_ARN } from '../../fixtures/hostile/make.js';
import { indexRecords } from '../../src/sources/files/record-index.js';
import { roleNeedle, scanFile, type ScanJob } from '../../src/sources/files/scan-file.js';
import { parseRoleSpec } from '../../src/sources/role-match.js';
import { emptyStats } from '../../src/sources/source.js';
import { newAggregate, toEvidence } from '../../src/translation/aggregate.js';
import { hasShared, readMaybeGzip, sharedMissing, sharedPath, walkFiles } from '../support/shared.js';
import { repoPath } from '../support/paths.js';

const NEEDLE = Buffer.from('/cb-role"');
const dir = mkdtempSync(join(tmpdir(), 'cbiam-index-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What the index must say, worked out with JSON.parse: the records, and which to decode. */
function expected(doc: { Records: unknown[] }): { count: number; decode: number[] } {
  const decode: number[] = [];
  doc.Records.forEach((r, i) => {
    const ui = (r as { userIdentity?: unknown }).userIdentity;
    const identity = ui !== null && typeof ui === 'object' && !Array.isArray(ui);
    if (!identity || JSON.stringify(r).includes(NEEDLE.toString())) decode.push(i);
  });
  return { count: doc.Records.length, decode };
}

function indexed(text: string): { count: number; decode: number[]; values: unknown[] } | undefined {
  const buf = Buffer.from(text);
  const idx = indexRecords(buf, NEEDLE);
  if (!idx) return undefined;
  return { count: idx.count, decode: idx.decode.map((d) => d.index), values: idx.decode.map((d) => JSON.parse(buf.toString('utf8', d.start, d.end))) };
}

// Strings built from the characters that matter to the scanner, so escapes and brackets land everywhere.
const nasty = fc
  .array(fc.constantFrom('\\', '"', '{', '}', '[', ']', ',', ':', 'a', ' ', 'é', '\n', '/cb-role', '/cb-role"', 'userIdentity', '\u2028'), { maxLength: 30 })
  .map((xs) => xs.join(''));
const leaf = fc.oneof(nasty, fc.integer(), fc.boolean(), fc.constant(null));
const value = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(nasty, tie('v'), { maxKeys: 4 })),
})).v;
const identity = fc.oneof(
  fc.constant(undefined),
  nasty,
  fc.record({ arn: fc.constantFrom(ROLE_ARN, 'arn:aws:iam::123456789012:role/other', 'x/cb-role"y') }).map((arn) => ({ type: 'AssumedRole', sessionContext: { sessionIssuer: arn } })),
  fc.dictionary(nasty, value, { maxKeys: 3 }),
);
const recordArb = fc.record({ head: fc.dictionary(nasty, value, { maxKeys: 3 }), identity, tail: fc.dictionary(nasty, value, { maxKeys: 3 }) }).map(({ head, identity: ui, tail }) => {
  const r: Record<string, unknown> = { ...head };
  delete r.userIdentity;
  if (ui !== undefined) r.userIdentity = ui;
  for (const [k, v] of Object.entries(tail)) if (k !== 'userIdentity') r[k] = v;
  return r;
});

describe('record index: the same records as JSON.parse', () => {
  it('random documents, compact or indented, at every alignment', () => {
    fc.assert(
      fc.property(fc.array(recordArb, { maxLength: 12 }), fc.nat({ max: 130 }), fc.boolean(), (records, pad, pretty) => {
        const doc = { Records: records };
        const text = ' '.repeat(pad) + JSON.stringify(doc, null, pretty ? 2 : undefined);
        const want = expected(doc);
        const got = indexed(text);
        expect(got).toBeDefined();
        expect(got!.count).toBe(want.count);
        expect(got!.decode).toEqual(want.decode);
        expect(got!.values).toEqual(want.decode.map((i) => records[i]));
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 1500), seed: Number(process.env.FUZZ_SEED ?? 20261128) },
    );
  });

  it('backslash runs across every block boundary', () => {
    for (let pad = 0; pad < 140; pad++) {
      for (const run of ['\\', '\\\\', '\\\\\\', '\\"', '\\\\"']) {
        const records = [{ userIdentity: { arn: 'x' }, s: 'y'.repeat(pad) + run + '{[' }, { userIdentity: { arn: ROLE_ARN }, s: run }];
        const text = JSON.stringify({ Records: records });
        const got = indexed(text);
        expect(got?.count, `pad ${pad} run ${run}`).toBe(2);
        expect(got?.decode).toEqual([1]);
      }
    }
  });

  it('other shapes and broken text are left to the whole-file parser', () => {
    for (const text of ['[{"userIdentity":{}}]', '{"userIdentity":{}}', '{"Records":{}}', '{"Records":[{}],"More":[{}]}', '{"Records":[{}]', '{"Records":[{"a":"}]}', '{"Records":[{},"x",{}]}', '{"Records":[[]]}', '{"Records":[{}]}x', '{"Other":1,"Records":[{}]}', '{"Records":[{}]}{"Records":[{}]}']) {
      expect(indexRecords(Buffer.from(text), NEEDLE), text).toBeUndefined();
    }
    expect(indexRecords(Buffer.from(' {"Records" : [ ] } \n'), NEEDLE)).toEqual({ count: 0, decode: [] });
  });

  it('more records and hits than its first buffers hold, and a needle shorter than 8 bytes', () => {
    const records = Array.from({ length: 40_000 }, (_, i) => ({ userIdentity: { arn: i % 2 ? 'role/a' : 'b' }, n: i }));
    const buf = Buffer.from(JSON.stringify({ Records: records }));
    const idx = indexRecords(buf, Buffer.from('/a"'));
    expect(idx?.count).toBe(40_000);
    expect(idx?.decode.map((d) => d.index)).toEqual(records.flatMap((_, i) => (i % 2 ? [i] : [])));
  });
});

describe('record index: forged records are never the role', () => {
  const job: ScanJob = { role: parseRoleSpec(ROLE_ARN), strict: false };
  const read = (name: string, doc: unknown): ReturnType<typeof emptyStats> => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(doc));
    const stats = emptyStats();
    scanFile(path, job, newAggregate(), stats);
    return stats;
  };
  const other = 'arn:aws:iam::123456789012:role/someone-else';

  it('a whole role record inside another principal request parameters (an array of objects)', () => {
    const forged = [record(1), record(2)];
    const stats = read('nested.json', { Records: [record(3, { requestParameters: { items: forged } }, other), record(4, {}, other)] });
    expect(stats.records).toBe(2);
    expect(stats.matched).toBe(0);
    expect(stats.skipped['other-principal']).toBe(2);
  });

  it('a role record written into a string (a user agent), with its closing and opening brackets', () => {
    const inner = `x"}},${JSON.stringify(record(1))},{"a":{"b":"`;
    const stats = read('string.json', { Records: [record(3, { userAgent: inner }, other)] });
    expect(stats).toMatchObject({ records: 1, matched: 0 });
  });

  it('the role name of another account, or in a request parameter, is not the role', () => {
    const elsewhere = ROLE_ARN.replace('123456789012', '210987654321');
    const stats = read('elsewhere.json', { Records: [record(1, {}, elsewhere), record(2, { requestParameters: { roleArn: ROLE_ARN } }, other), record(3)] });
    expect(stats).toMatchObject({ records: 3, matched: 1, skipped: { 'other-principal': 2 } });
    expect(roleNeedle(parseRoleSpec(ROLE_ARN))).toBe(`${ROLE_ARN}"`);
    expect(roleNeedle(parseRoleSpec('cb-role'))).toBe('/cb-role"');
    // IAM paths may hold '"' or '\\', which JSON escapes: then only the name is searched for, and found.
    const odd = 'arn:aws:iam::123456789012:role/odd"path\\/cb-role';
    expect(roleNeedle(parseRoleSpec(odd))).toBe('/cb-role"');
    // A plain path of 400 characters: the whole ARN is the needle, and the records are found.
    const long = `arn:aws:iam::123456789012:role/${'deep/'.repeat(80)}cb-role`;
    expect(roleNeedle(parseRoleSpec(long)).length).toBeGreaterThan(400);
    const longStats = emptyStats();
    const longPath = join(dir, 'long.json');
    writeFileSync(longPath, JSON.stringify({ Records: [record(1, {}, long), record(2)] }));
    scanFile(longPath, { role: parseRoleSpec(long), strict: false }, newAggregate(), longStats);
    expect(longStats).toMatchObject({ records: 2, matched: 1 });
    const oddStats = emptyStats();
    const oddPath = join(dir, 'odd.json');
    writeFileSync(oddPath, JSON.stringify({ Records: [record(1, {}, odd), record(2)] }));
    scanFile(oddPath, { role: parseRoleSpec(odd), strict: false }, newAggregate(), oddStats);
    expect(oddStats).toMatchObject({ records: 2, matched: 1 });
  });
});

describe('record index: indexing changes nothing', () => {
  const corpus = hasShared ? sharedPath('corpus') : '';
  const fixtureDirs = [repoPath('fixtures/demo/trail'), repoPath('fixtures/scenarios'), repoPath('fixtures/hostile')];

  function both(files: string[], role: string): void {
    const spec = parseRoleSpec(role);
    const run = (parseWhole: boolean): string => {
      const agg = newAggregate();
      const stats = emptyStats();
      for (const f of files) scanFile(f, { role: spec, strict: false, parseWhole }, agg, stats);
      // Count keys in a stable order, as the reader does before reporting.
      const sorted = (o: object): object => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
      return JSON.stringify(toEvidence(agg, role, {}, { ...stats, skipped: sorted(stats.skipped), fileProblems: sorted(stats.fileProblems) }, []));
    };
    const whole = run(true);
    expect(run(false)).toBe(whole);
    expect(JSON.parse(whole).read.records).toBeGreaterThan(0);
  }

  it('the shipped fixtures: the same evidence, counts and notes as parsing every file whole', () => {
    const files = fixtureDirs.flatMap((d) => [...walkFiles(d)]).filter((f) => /\.json(l|\.gz)?$/.test(f) && !f.endsWith('project.json') && !f.includes('expected'));
    both(files, 'arn:aws:iam::123456789012:role/service-role/codebuild-demo-app-service-role');
    both(files, ROLE_ARN);
    both(files, 'cb-role');
  });

  it.skipIf(!hasShared)(`the shared corpora: the same evidence for every role seen${hasShared ? '' : ` (${sharedMissing})`}`, () => {
    const files = [...walkFiles(corpus)].filter((f) => /\.json(l|\.gz)?$/.test(f));
    expect(readdirSync(corpus).length).toBeGreaterThan(0);
    // The roles that appear as session issuers, most frequent first: each by ARN and by name alone.
    const seen = new Map<string, number>();
    for (const f of files) for (const m of readMaybeGzip(f).matchAll(/"sessionIssuer":\{[^}]*?"arn":"(arn:aws:iam::\d{12}:role\/[^"]+)"/g)) seen.set(m[1], (seen.get(m[1]) ?? 0) + 1);
    const roles = [...seen.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 4).map(([arn]) => arn);
    expect(roles.length).toBeGreaterThan(1);
    for (const role of roles) {
      both(files, role);
      both(files, role.slice(role.lastIndexOf('/') + 1));
    }
  });
});
