// The library is not the CLI: called directly, it throws its own typed errors with structured fields, and
// its messages name options as concepts (`role`), never as flags (`--role`). Only the CLI's mapping adds the
// flags and the exit codes; the CLI's stderr text is checked against the same errors here and, byte for
// byte, by the CLI tests and scripts/output-snapshot.ts.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { registerCommands } from '../../cli/commands/index.js';
import { cliMessage, EXIT_OF, flagName, reportError } from '../../cli/report-error.js';
import {
  assertRoleSeen,
  AwsFailure,
  checkSafety,
  CodebuildIamError,
  toEvidence,
  fromSerialized,
  InvalidInput,
  NotFound,
  OPTION_NAMES,
  parsePolicyDocument,
  parseRoleSpec,
  PolicyDocumentError,
  readFiles,
  refuseBroad,
  TooBroad,
  type PolicyDocument,
} from '../../src/index.js';
import { MINI_ROLE, rec } from '../support/mini-trail.js';

/** A CLI flag anywhere in a text: `--` and a lower-case letter. */
const FLAG = /--[a-z]/;

async function caught(f: () => unknown): Promise<CodebuildIamError> {
  try {
    await f();
  } catch (e) {
    expect(e).toBeInstanceOf(CodebuildIamError);
    return e as CodebuildIamError;
  }
  throw new Error('expected an error');
}

function trailDir(records: unknown[], name = 'trail.json'): string {
  const dir = mkdtempSync(join(tmpdir(), 'cbiam-liberr-'));
  writeFileSync(join(dir, name), JSON.stringify({ Records: records }));
  return dir;
}

describe('library errors (no CLI)', () => {
  it('a path that does not exist is NotFound naming the file and the logs option, no flag', async () => {
    const missing = join(tmpdir(), 'cbiam-no-such-dir', 'trail.json');
    const err = await caught(() => readFiles({ paths: [missing], role: parseRoleSpec('cb-role'), workers: 1 }));
    expect(err).toBeInstanceOf(NotFound);
    expect(err.fields).toMatchObject({ file: missing, option: 'logs', missing: 'logs' });
    expect(err.message).toBe(`logs ${missing} does not exist; give a trail log file or a directory of them`);
    expect(err.message).not.toMatch(FLAG);
    // The CLI says the same with its flag, and exits 2.
    expect(cliMessage(err)).toBe(`--logs ${missing} does not exist; give a trail log file or a directory of them`);
    expect(EXIT_OF[err.kind]).toBe(2);
  });

  it('an invalid record under strict reading is InvalidInput with file and record index, across the worker thread', async () => {
    const bad = rec(2, 's3.amazonaws.com', 'GetObject', { bucketName: 'b', key: 'k' });
    delete bad.eventTime;
    const dir = trailDir([rec(1, 's3.amazonaws.com', 'GetObject', { bucketName: 'b', key: 'k' }), bad]);
    const err = await caught(() => readFiles({ paths: [dir], role: parseRoleSpec(MINI_ROLE), strict: true, workers: 1 }));
    expect(err).toBeInstanceOf(InvalidInput);
    expect(err.fields).toMatchObject({ file: join(dir, 'trail.json'), record: 1, option: 'strict' });
    expect(err.message).not.toMatch(FLAG);
    expect(err.message).toContain('strict stops at the first unusable input');
    expect(cliMessage(err)).toContain('(--strict stops at the first unusable input; drop --strict to skip and count it)');
    // The message says where, never what the record holds.
    expect(err.message).not.toContain('GetObject');
  });

  it('a file that is not JSON is InvalidInput naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cbiam-liberr-'));
    // It names the role, so the reader opens it (files that never mention the role are skipped unread).
    writeFileSync(join(dir, 'trail.json'), `{"Records": [ {"arn": "${MINI_ROLE}", "secret": "hunter2"`);
    const err = await caught(() => readFiles({ paths: [dir], role: parseRoleSpec(MINI_ROLE), strict: true, workers: 1 }));
    expect(err).toBeInstanceOf(InvalidInput);
    expect(err.fields.file).toBe(join(dir, 'trail.json'));
    expect(err.fields.record).toBeUndefined();
    expect(err.message).not.toMatch(FLAG);
    expect(err.message).not.toContain('hunter2');
  });

  it('a role that matches nothing: parseRoleSpec refuses a bad name, assertRoleSeen says what was read and the closest roles', async () => {
    const bad = await caught(() => parseRoleSpec('no such role!'));
    expect(bad).toBeInstanceOf(InvalidInput);
    expect(bad.fields).toEqual({ option: 'role', value: 'no such role!' });
    expect(bad.message).toMatch(/^role "no such role!" is not a valid IAM role name/);
    expect(cliMessage(bad)).toMatch(/^--role "no such role!" is not a valid IAM role name/);

    const dir = trailDir([rec(1, 's3.amazonaws.com', 'GetObject', { bucketName: 'b', key: 'k' })]);
    const role = parseRoleSpec('cb-rol');
    const r = await readFiles({ paths: [dir], role, workers: 1 });
    const read = toEvidence(r.agg, role.input, {}, r.stats, r.warnings).read;
    const err = await caught(() => assertRoleSeen(role, read, { source: 'files', paths: [dir], windowed: false, closest: r.closestRoles }));
    expect(err).toBeInstanceOf(NotFound);
    expect(err.fields).toMatchObject({ option: 'role', value: 'cb-rol', missing: 'events of the role', file: dir });
    expect(err.message).toContain(`no events of role cb-rol in 1 file(s) under ${dir}`);
    expect(err.message).toContain(`the closest roles in the trail: ${MINI_ROLE}`);
    expect(err.message).not.toMatch(FLAG);
    expect(cliMessage(err)).toContain('check --role (name, or ARN with its path) and --since/--until');
    expect(EXIT_OF[err.kind]).toBe(2);
  });

  it('a policy broader than the evidence is refused as TooBroad listing each problem', async () => {
    const policy: PolicyDocument = { Version: '2012-10-17', Statement: [{ Sid: 'All', Effect: 'Allow', Action: ['s3:*'], Resource: '*' }] };
    const problems = checkSafety([policy], []);
    expect(problems.length).toBeGreaterThan(0);
    const err = await caught(() => refuseBroad(problems));
    expect(err).toBeInstanceOf(TooBroad);
    expect(err.fields.problems).toEqual([{ sid: 'All', problem: 'allows the wildcard action s3:*' }]);
    expect(err.message).toBe('refusing to write a broad policy: All allows the wildcard action s3:* (pass allowBroad to write it anyway)');
    expect(cliMessage(err)).toBe('refusing to write a broad policy: All allows the wildcard action s3:* (pass --allow-broad to write it anyway)');
    expect(EXIT_OF[err.kind]).toBe(1);
    expect(() => refuseBroad([])).not.toThrow();
  });

  it('an invalid policy document is a PolicyDocumentError, an InvalidInput naming where, no flag', async () => {
    const text = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Maybe', Action: 's3:GetObject', Resource: '*' }] });
    const err = await caught(() => parsePolicyDocument(text, 'policy.json', 'identity'));
    expect(err).toBeInstanceOf(PolicyDocumentError);
    expect(err).toBeInstanceOf(InvalidInput);
    expect(err.kind).toBe('invalid-input');
    expect(err.message).toMatch(/^policy\.json/);
    expect(err.message).not.toMatch(FLAG);
    expect(EXIT_OF[err.kind]).toBe(2);
  });

  it('every option a library message can name is a flag of the CLI, so the mapping names a real flag', () => {
    const program = new Command('codebuild-iam');
    registerCommands(program);
    const flags = new Set(program.commands.flatMap((c) => c.options.map((o) => o.long)));
    expect(flags.size).toBeGreaterThan(20);
    for (const option of OPTION_NAMES) expect(flags, option).toContain(flagName(option));
  });

  it('reportError prints a library error as one CLI line with flags, and returns its exit code', () => {
    let err = '';
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
      err += String(s);
      return true;
    });
    try {
      const code = reportError(new InvalidInput(['bad ', { option: 'athenaTable' }, ' "a\nb"'], { option: 'athenaTable', value: 'a\nb' }), false);
      expect(code).toBe(2);
      expect(reportError(new TooBroad(['refused; pass ', { option: 'allowBroad' }]), false)).toBe(1);
    } finally {
      spy.mockRestore();
    }
    expect(err).toBe('codebuild-iam: bad --athena-table "a\\nb"\ncodebuild-iam: refused; pass --allow-broad\n');
  });

  it('errors survive serialization (a reader worker to the main thread) with kind, fields and options', () => {
    const err = new AwsFailure(['AWS denied ', 'x', ' (see ', { option: 'region' }, ')'], { operation: 'iam:GetRole', code: 'AccessDenied' });
    const back = fromSerialized(structuredClone(err.toSerialized()));
    expect(back).toBeInstanceOf(AwsFailure);
    expect(back.fields).toEqual(err.fields);
    expect(back.options).toEqual(['region']);
    expect(back.message).toBe('AWS denied x (see region)');
    expect(cliMessage(back)).toBe('AWS denied x (see --region)');
    expect(flagName('eventDataStore')).toBe('--event-data-store');
  });
});
