// Hand-made hostile files (fixtures/hostile/*) through the built CLI, each beside a good file: every one is
// skipped and counted with its file and position (or translated safely), read = matched + skipped holds,
// nothing crashes, and --strict stops with exit 2 and one line naming the file.
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOSTILE_DIR, generate, isOneLineMessage, tempDir, type EvidenceJson } from '../../fixtures/hostile/cli.js';
import { CLI } from '../support/paths.js';

const GOOD = join(HOSTILE_DIR, 'good.json');
const GOOD_RECORDS = 3;

interface Case {
  file: string;
  why: string;
  /** Records the file adds to read.records and read.matched. */
  records: number;
  matched: number;
  fileProblem?: string;
  skipped?: Record<string, number>;
  /** Each note expected: reason and the position after the file name ("" for a whole file). */
  notes?: Array<[string, string]>;
  noteDetail?: RegExp;
  untranslatable?: RegExp[];
  refused?: RegExp[];
  ignored?: RegExp[];
}

const cases: Case[] = [
  { file: 'empty.json', why: 'an empty file', records: 0, matched: 0, fileProblem: 'wrong-shape', notes: [['wrong-shape', '']], noteDetail: /empty/ },
  { file: 'blank.jsonl', why: 'a file of blank lines', records: 0, matched: 0, fileProblem: 'wrong-shape', notes: [['wrong-shape', '']], noteDetail: /empty/ },
  { file: 'not-json.json', why: 'HTML, not JSON', records: 0, matched: 0, fileProblem: 'not-json', notes: [['not-json', '']] },
  { file: 'truncated.json', why: 'pretty JSON cut short', records: 0, matched: 0, fileProblem: 'not-json', notes: [['not-json', '']], noteDetail: /truncated/ },
  { file: 'truncated.json.gz', why: 'gzip cut short', records: 0, matched: 0, fileProblem: 'unreadable-file', notes: [['unreadable-file', '']], noteDetail: /gzip/ },
  { file: 'corrupt.json.gz', why: 'gzip with flipped bytes', records: 0, matched: 0, fileProblem: 'unreadable-file', notes: [['unreadable-file', '']], noteDetail: /gzip/ },
  { file: 'non-utf8-between.json', why: 'invalid UTF-8 between tokens', records: 0, matched: 0, fileProblem: 'not-json', notes: [['not-json', '']] },
  { file: 'wrong-shape-object.json', why: 'an object without Records', records: 0, matched: 0, fileProblem: 'wrong-shape', notes: [['wrong-shape', '']] },
  { file: 'wrong-shape-records-object.json', why: 'Records is an object', records: 0, matched: 0, fileProblem: 'wrong-shape', notes: [['wrong-shape', '']] },
  { file: 'wrong-shape-string.json', why: 'a JSON string', records: 0, matched: 0, fileProblem: 'wrong-shape', notes: [['wrong-shape', '']] },
  {
    file: 'bad-lines.jsonl',
    why: 'NDJSON with two broken lines among three good ones',
    records: 5,
    matched: 3,
    skipped: { 'not-json': 2 },
    notes: [['not-json', ' line 2'], ['not-json', ' line 4']],
  },
  {
    file: 'non-records.json',
    why: 'Records holding null, a number, a string, an array and true',
    records: 6,
    matched: 1,
    skipped: { 'wrong-shape': 5 },
    notes: [0, 1, 2, 3, 4].map((i) => ['wrong-shape', ` record ${i}`] as [string, string]),
  },
  {
    file: 'missing-fields.json',
    why: 'each record lacks one field',
    records: 11,
    matched: 7,
    skipped: { 'missing-event-time': 1, 'missing-user-identity': 1, 'other-principal': 2 },
    notes: [['missing-event-time', ' record 0'], ['missing-user-identity', ' record 1']],
    untranslatable: [/no eventSource or eventName/, /no eventSource or eventName/, /no awsRegion/],
  },
  {
    file: 'wrong-types.json',
    why: 'fields of the wrong type',
    records: 28,
    matched: 17,
    skipped: { 'bad-event-time': 5, 'missing-event-time': 1, 'missing-user-identity': 3, 'other-principal': 2 },
    notes: [
      ...[0, 1, 2, 3, 4].map((i) => ['bad-event-time', ` record ${i}`] as [string, string]),
      ['missing-event-time', ' record 5'],
      ...[6, 7, 8].map((i) => ['missing-user-identity', ` record ${i}`] as [string, string]),
    ],
    // eventSource 42 and eventName ["..."]: two entries, as they differ in the (empty) name they are listed under.
    untranslatable: [/no eventSource or eventName/, /no eventSource or eventName/, /awsRegion is not a region name/, /requestParameters is not an object/],
    ignored: [/7 events are not API calls/],
  },
  {
    file: 'loose-times.json',
    why: 'eventTime "1", "2024", "March 1, 2024" and an HTTP date (Date.parse takes them all) beside two ISO forms',
    records: 6,
    matched: 2,
    skipped: { 'bad-event-time': 4 },
    notes: [0, 1, 2, 3].map((i) => ['bad-event-time', ` record ${i}`] as [string, string]),
  },
  { file: 'non-utf8-in-string.json', why: 'invalid UTF-8 inside a name', records: 1, matched: 1 },
  { file: 'utf8-bom.json', why: 'a UTF-8 byte-order mark', records: 3, matched: 3 },
  { file: 'utf16.json', why: 'UTF-16LE with a byte-order mark', records: 1, matched: 1 },
  { file: 'utf16be-odd.json', why: 'UTF-16BE with an odd trailing byte', records: 3, matched: 3 },
  { file: 'unicode-names.json', why: 'accents, emoji, bidi override and zero-width characters in names', records: 3, matched: 3 },
  {
    file: 'control-chars.json',
    why: 'NUL, newline, U+2028, quotes and backslashes in names',
    records: 7,
    matched: 7,
    refused: [/BucketName value with control or quote/, /ObjectName value with control or quote/, /LogGroupName value/, /s3:GetObject: refused a resource/],
  },
  { file: 'long-values.json', why: 'names longer than any ARN', records: 2, matched: 2, refused: [/LogGroupName value .*too long/, /ObjectName value .*too long/] },
  { file: 'wildcards.json', why: '*, ? and $ in names from the log', records: 12, matched: 12, refused: [/kms: refused a KeyId value with wildcard/] },
  {
    file: 'region-account.json',
    why: 'wildcards and colons in awsRegion and account IDs',
    records: 6,
    matched: 6,
    untranslatable: [/awsRegion is not a region name/, /account ID is not 12 digits/],
  },
];

const sum = (o: Record<string, number>): number => Object.values(o).reduce((a, b) => a + b, 0);

function checkAccounting(ev: EvidenceJson): void {
  const r = ev.read;
  expect(r.records).toBe(r.matched + sum(r.skipped));
  expect(r.skippedTotal).toBe(sum(r.skipped));
}

describe('hostile files: skipped, counted and located; nothing crashes', () => {
  for (const c of cases) {
    it(`${c.file}: ${c.why}`, async () => {
      const path = join(HOSTILE_DIR, c.file);
      const r = await generate([GOOD, path]);
      // A file that could not be read at all may hold the role's records: that alone is warned on stderr.
      if (c.fileProblem === 'unreadable-file' || c.fileProblem === 'too-large') {
        expect(r.stderr).toMatch(new RegExp(`^codebuild-iam: warning: 1 file\\(s\\) were not read \\(${c.fileProblem}\\) [^\\n]*\\n$`));
        expect(r.stderr).toContain(path);
      } else expect(r.stderr, r.stderr).toBe('');
      expect(r.code).toBe(0);
      const ev = r.evidence as EvidenceJson;
      checkAccounting(ev);
      expect(ev.read.records).toBe(GOOD_RECORDS + c.records);
      expect(ev.read.matched).toBe(GOOD_RECORDS + c.matched);
      expect(ev.read.skipped).toEqual(c.skipped ?? {});
      expect(ev.read.fileProblems).toEqual(c.fileProblem ? { [c.fileProblem]: 1 } : {});
      const notes = ev.read.notes.map((n) => [n.reason, n.where] as [string, string]);
      expect(notes).toEqual((c.notes ?? []).map(([reason, pos]) => [reason, `${path}${pos}`]));
      for (const n of ev.read.notes) expect(n.detail).toMatch(c.noteDetail ?? /\w/);
      const untranslatable = ev.untranslatable.map((u) => u.reason);
      expect(untranslatable.length).toBe(c.untranslatable?.length ?? 0);
      for (const re of c.untranslatable ?? []) expect(untranslatable.some((u) => re.test(u)), `${re}`).toBe(true);
      for (const u of untranslatable) expect((c.untranslatable ?? []).some((re) => re.test(u)), u).toBe(true);
      const refused = ev.refused.map((x) => x.value);
      expect(refused.length).toBe(c.refused?.length ?? 0);
      for (const re of c.refused ?? []) expect(refused.some((u) => re.test(u)), `${re} in ${refused.join(' | ')}`).toBe(true);
      expect(ev.ignored.map((i) => i.reason).filter((x) => (c.ignored ?? []).some((re) => re.test(x))).length).toBe(c.ignored?.length ?? 0);
    });
  }
});

describe('--strict: the first unusable input is exit 2, one line naming the file', () => {
  for (const c of cases) {
    const bad = c.fileProblem !== undefined || Object.keys(c.skipped ?? {}).some((k) => k !== 'other-principal' && k !== 'outside-window');
    it(`${c.file}: ${bad ? 'exit 2' : 'nothing unusable, exit 0'}`, async () => {
      const path = join(HOSTILE_DIR, c.file);
      const r = await generate([GOOD, path], ['--strict']);
      if (!bad) {
        expect(r.code, r.stderr).toBe(0);
        return;
      }
      expect(r.code).toBe(2);
      expect(isOneLineMessage(r.stderr), r.stderr).toBe(true);
      expect(r.stderr).toContain(path);
      expect(r.stderr).toMatch(/--strict/);
      // Nothing is written when the run stops.
      expect(r.evidence).toBeUndefined();
    });
  }
});

describe('a reader that closes the pipe early (`| head`)', () => {
  it('ends quietly with exit 0, no stack trace', () => {
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${CLI}" generate --help | true; echo "exit=\${PIPESTATUS[0]}" >&2`], { encoding: 'utf8' });
    expect(r.stderr.trim()).toBe('exit=0');
  });
});

describe('symlinks under --logs', () => {
  it('a loop (dir/self -> .) and a file given twice are read once', async () => {
    const dir = tempDir('loop');
    copyFileSync(GOOD, join(dir, 'good.json'));
    symlinkSync('.', join(dir, 'self'));
    symlinkSync(join(dir, 'good.json'), join(dir, 'again.json'));
    const r = await generate([dir, join(dir, 'good.json')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.evidence!.read.files).toBe(1);
    expect(r.evidence!.read.records).toBe(GOOD_RECORDS);
  });
});

describe('the whole corpus at once, two workers', () => {
  it('counts add up to the sum of the cases, and read = matched + skipped', async () => {
    const r = await generate([HOSTILE_DIR], ['--workers', '2']);
    expect(r.code, r.stderr).toBe(0);
    const ev = r.evidence as EvidenceJson;
    checkAccounting(ev);
    expect(ev.read.records).toBe(GOOD_RECORDS + cases.reduce((n, c) => n + c.records, 0));
    expect(ev.read.matched).toBe(GOOD_RECORDS + cases.reduce((n, c) => n + c.matched, 0));
    const problems: Record<string, number> = {};
    for (const c of cases) if (c.fileProblem) problems[c.fileProblem] = (problems[c.fileProblem] ?? 0) + 1;
    expect(ev.read.fileProblems).toEqual(problems);
    expect(ev.read.files).toBe(cases.length + 1);
  });
});

describe('time zones', () => {
  it('a zoneless eventTime is UTC: the same window and evidence under any TZ', async () => {
    const dir = tempDir('tz');
    const file = join(dir, 'zoneless.json');
    const base = JSON.parse(readFileSync(GOOD, 'utf8')) as { Records: Array<Record<string, unknown>> };
    base.Records.forEach((r, i) => (r.eventTime = `2024-03-01 10:0${i}:00`));
    writeFileSync(file, JSON.stringify(base));
    const window = ['--since', '2024-03-01T10:00:30Z', '--until', '2024-03-01T10:05:00Z'];
    const runs = await Promise.all(
      ['UTC', 'Asia/Tokyo', 'America/Los_Angeles'].map(async (tz) => {
        const out = tempDir('tz-out');
        const r = spawnSync(process.execPath, [CLI, 'generate', '--logs', file, '--role', 'cb-role', '--out', out, '--quiet', ...window], {
          encoding: 'utf8',
          env: { ...process.env, TZ: tz },
        });
        expect(r.status, r.stderr).toBe(0);
        return readFileSync(join(out, 'evidence.json'), 'utf8');
      }),
    );
    expect(runs[1]).toBe(runs[0]);
    expect(runs[2]).toBe(runs[0]);
    const ev = JSON.parse(runs[0]) as EvidenceJson;
    expect(ev.read.matched).toBe(2);
    expect(ev.read.skipped).toEqual({ 'outside-window': 1 });
    expect(runs[0]).toContain('"firstSeen": "2024-03-01T10:01:00Z"');
  });
});

describe('nothing but unusable files', () => {
  it('exit 2 with one line that says how many files were unusable and why, naming one', async () => {
    const corrupt = join(HOSTILE_DIR, 'corrupt.json.gz');
    const r = await generate([corrupt, join(HOSTILE_DIR, 'truncated.json')]);
    expect(r.code).toBe(2);
    // The unreadable gzip is warned first (it may hold the role's records), then the one-line error.
    const [warning, error, ...rest] = r.stderr.split(/(?<=\n)/);
    expect(rest).toEqual([]);
    expect(warning).toMatch(/^codebuild-iam: warning: 1 file\(s\) were not read \(unreadable-file\)/);
    expect(isOneLineMessage(error), r.stderr).toBe(true);
    expect(r.stderr).toContain('2 unusable (not-json: 1, unreadable-file: 1)');
    expect(r.stderr).toContain(`${corrupt}: corrupt or truncated gzip`);
  });
});
