// Issue 20: a CLI that behaves the way people expect. Each item as a user meets it: the built CLI in a
// child process, its exit code and its stderr.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runCli as run } from '../support/run-cli.js';
import { MINI_ROLE as ROLE, miniTrail } from '../support/mini-trail.js';
import { repoPath } from '../support/paths.js';
import { CLI } from '../support/paths.js';

const tmp = (prefix: string): string => mkdtempSync(join(tmpdir(), `cbiam-ux-${prefix}-`));
/** Exactly one line, in our style. */
const ONE_LINE = /^codebuild-iam: [^\n]+\n$/;
const POLICY = repoPath('fixtures/demo/expected-policy.json');

function policyFile(dir: string, name: string, doc: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return p;
}

describe('2: every error is one line, `codebuild-iam: ...`, exit 2 for usage', () => {
  it("Commander's unknown option keeps its suggestion on the same line", () => {
    const r = run(['generate', '--log', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(ONE_LINE);
    expect(r.stderr).toMatch(/^codebuild-iam: unknown option '--log' \(Did you mean --logs\?\) \(run with --help for usage\)/);
  });

  it('a missing argument, a missing option value and a bad choice are one line, exit 2', () => {
    for (const args of [['export'], ['generate', '--role'], ['diff', '--format', 'yaml'], ['nonsense-command']]) {
      const r = run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(ONE_LINE);
      expect(r.stderr).not.toMatch(/^error:/m);
    }
  });

  it('a value with a newline or an escape cannot make an error two lines or restyle the terminal', () => {
    const cases = [
      ['export', POLICY, '--format', 'terraform', '--name', 'a\nb'],
      ['generate', '--logs', miniTrail(), '--role', 'a\nb'],
      ['verify', '--policy', 'a\nb\x1b[31m', '--logs', 'x', '--role', 'r'],
      ['diff', '--proposed', 'a\r\nb', '--current', POLICY],
    ];
    for (const args of cases) {
      const r = run(args);
      expect(r.code, JSON.stringify(args)).toBe(2);
      expect(r.stderr, JSON.stringify(args)).toMatch(ONE_LINE);
      expect(r.stderr).not.toContain('\x1b');
      expect(r.stderr).toContain('\\n');
    }
  });

  it('--help and --version still exit 0 on stdout', () => {
    expect(run(['diff', '--help']).code).toBe(0);
    expect(run(['--version']).code).toBe(0);
  });
});

describe('4: flags are never silently ignored or misread', () => {
  const logs = miniTrail();

  it('--export without --out is refused (exit 2)', () => {
    const r = run(['generate', '--logs', logs, '--role', ROLE, '--export', 'terraform']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(ONE_LINE);
    expect(r.stderr).toMatch(/--export .*needs --out/);
  });

  it('an impossible date and a duration before 1970 are usage errors, not March 1st or exit 3', () => {
    for (const [flag, value, why] of [
      ['--since', '2024-02-30T00:00:00Z', /not a date that exists/],
      ['--until', '2023-02-29', /not a date that exists/],
      ['--since', '2024-03-01T24:00:00Z', /not a date that exists/],
      ['--since', '999999999d', /before 1970/],
    ] as const) {
      const r = run(['generate', '--logs', logs, '--role', ROLE, flag, value]);
      expect(r.code, value).toBe(2);
      expect(r.stderr, value).toMatch(ONE_LINE);
      expect(r.stderr, value).toMatch(why);
    }
    // Real dates still work, with or without a zone.
    expect(run(['generate', '--logs', logs, '--role', ROLE, '--since', '2024-02-29', '--until', '2024-03-01T23:59:59+00:00']).code).toBe(0);
  });

  it('the help says what relative times mean, and its "one day" example is one day', () => {
    const h = run(['generate', '--help']).stdout.replace(/\s+/g, ' ');
    expect(h).toMatch(/1d = 1 day ago, not 1 day after --since/);
    expect(h).not.toMatch(/--until 1d/);
    expect(h).toMatch(/--since 2024-03-01T00:00:00Z --until 2024-03-02T00:00:00Z/);
  });
});

describe('5: input that may hide the role is said loudly', () => {
  it('a gzip bomb and a corrupt gzip are warned on stderr by name, the run still succeeds', () => {
    const logs = miniTrail();
    const bomb = join(logs, 'bomb.json.gz');
    writeFileSync(bomb, gzipSync(Buffer.concat([Buffer.from(`{"Records":[`), Buffer.alloc(80 * 1024 * 1024, 0x20), Buffer.from(']}')]), { level: 9 }));
    const corrupt = join(logs, 'corrupt.json.gz');
    writeFileSync(corrupt, gzipSync('{"Records":[]}').subarray(0, 12));
    const out = join(tmp('hide'), 'out');
    const r = run(['generate', '--logs', logs, '--role', ROLE, '--out', out, '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`warning: 1 file\\(s\\) were not read \\(too-large\\) and may hold the role's records: ${bomb} \\(decompresses to more than 128 times`));
    expect(r.stderr).toMatch(new RegExp(`warning: 1 file\\(s\\) were not read \\(unreadable-file\\) .*${corrupt}`));
    for (const line of r.stderr.trimEnd().split('\n')) expect(line).toMatch(/^codebuild-iam: warning: /);
  });

  it('a 450 MiB role file is refused from its size, without reading it, and warned on stderr', () => {
    const logs = miniTrail();
    const big = join(logs, 'big.json');
    truncateSync(policyFile(logs, 'big.json', ''), 450 * 1024 * 1024); // sparse: no disk, no time
    const r = run(['generate', '--logs', logs, '--role', ROLE, '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`warning: 1 file(s) were not read (too-large) and may hold the role's records: ${big} (larger than 419430400 bytes)`);
  });

  it('files that are not CloudTrail at all are named in the report even when they never mention the role', () => {
    const logs = miniTrail();
    const html = policyFile(logs, 'page.json', '<!DOCTYPE html><html><body>403 Forbidden</body></html>');
    const nul = policyFile(logs, 'null.json', 'null');
    const recordsObject = policyFile(logs, 'records-object.json', '{"Records": {"eventName": "x"}}');
    const out = join(tmp('shape'), 'out');
    const r = run(['generate', '--logs', logs, '--role', ROLE, '--out', out, '--quiet']);
    expect(r.code).toBe(0);
    const evidence = readFileSync(join(out, 'evidence.json'), 'utf8');
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    for (const f of [html, nul, recordsObject]) expect(evidence, f).toContain(f);
    expect(report).toMatch(/not-json/);
    expect(report).toMatch(/wrong-shape/);
  });

  it('FIFOs, devices and dangling symlinks under --logs are named and never opened', () => {
    const logs = miniTrail();
    const fifo = join(logs, 'pipe.json');
    const made = spawnSync('mkfifo', [fifo]);
    symlinkSync('/nonexistent/target.json', join(logs, 'dangling.json'));
    symlinkSync('/dev/zero', join(logs, 'zero.json'));
    // Opening the FIFO would block forever, reading /dev/zero would never end: the timeout catches both.
    const r = spawnSync(process.execPath, [CLI, 'generate', '--logs', logs, '--role', ROLE, '--quiet'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    const expected = made.status === 0 ? 3 : 2;
    expect(r.stderr).toMatch(new RegExp(`warning: ${expected} entries under --logs are not a regular file .* not opened: `));
    expect(r.stderr).toContain(join(logs, 'dangling.json'));
    expect(r.stderr).toContain(join(logs, 'zero.json'));
    if (made.status === 0) expect(r.stderr).toContain(fifo);
  });
});

describe('6: hangs and limits', () => {
  it('--out under /proc (where mkdir -p loops in Node) ends at once with exit 2', () => {
    if (!existsSync('/proc/self')) return;
    const r = spawnSync(process.execPath, [CLI, 'generate', '--logs', miniTrail(), '--role', ROLE, '--out', '/proc/xyz/out', '--quiet'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(ONE_LINE);
    expect(r.stderr).toMatch(/--out \/proc\/xyz\/out cannot be used as the output directory/);
  });

  it('an --out under a file, and diff --out in a missing directory, are exit 2', () => {
    const d = tmp('outfile');
    const file = policyFile(d, 'f', 'x');
    const r = run(['generate', '--logs', miniTrail(), '--role', ROLE, '--out', join(file, 'out'), '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ENOTDIR/);
    const diff = run(['diff', '--proposed', POLICY, '--current', POLICY, '--out', join(d, 'missing', 'report.txt')]);
    expect(diff.code).toBe(2);
    expect(diff.stderr).toMatch(ONE_LINE);
  });

  it('more than 10 managed-policy documents are warned with what to do', () => {
    const logs = tmp('many');
    const records = Array.from({ length: 1500 }, (_, i) => ({
      eventVersion: '1.09',
      userIdentity: {
        type: 'AssumedRole',
        arn: 'arn:aws:sts::123456789012:assumed-role/cb-role/AWSCodeBuild-00000001-1111-2222-3333-444444444444',
        accountId: '123456789012',
        sessionContext: { sessionIssuer: { type: 'Role', arn: ROLE, accountId: '123456789012' } },
      },
      eventTime: '2024-03-01T10:00:00Z',
      eventSource: 's3.amazonaws.com',
      eventName: 'GetObject',
      awsRegion: 'us-east-1',
      requestParameters: { bucketName: `bucket-${String(i).padStart(5, '0')}-with-a-rather-long-name`, key: `reports/${i}/summary-of-the-day.json` },
      eventID: `ev-${i}`,
      eventType: 'AwsApiCall',
      recipientAccountId: '123456789012',
    }));
    writeFileSync(join(logs, 'many.json'), JSON.stringify({ Records: records }));
    const out = join(logs, 'out');
    const r = run(['generate', '--logs', logs, '--role', ROLE, '--resources', 'exact', '--out', out, '--quiet']);
    expect(r.code).toBe(0);
    const docs = ['policy.json', ...Array.from({ length: 40 }, (_, i) => `policy-${i + 2}.json`)].filter((f) => existsSync(join(out, f)));
    expect(docs.length).toBeGreaterThan(10);
    expect(r.stderr).toMatch(new RegExp(`warning: the policy needs ${docs.length} managed-policy documents, more than the 10 .* --min-builds .* several roles .* inline policy`));
  });

  it('many workers on gzip bombs stay within bounded memory', () => {
    const time = '/usr/bin/time';
    if (!existsSync(time)) return;
    const logs = tmp('bombs');
    const bomb = gzipSync(Buffer.concat([Buffer.from(`{"Records":[`), Buffer.alloc(200 * 1024 * 1024, 0x20), Buffer.from(`]} cb-role`)]), { level: 9 });
    for (let i = 0; i < 4; i++) writeFileSync(join(logs, `b${i}.json.gz`), bomb);
    cpSync(join(miniTrail()), join(logs, 'real'), { recursive: true });
    const r = spawnSync(time, ['-f', 'peak-kb=%M', process.execPath, CLI, 'generate', '--logs', logs, '--role', ROLE, '--workers', '4', '--quiet'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.status).toBe(0);
    const peakMb = Number(/peak-kb=(\d+)/.exec(r.stderr)?.[1]) / 1024;
    // Inflating each 200 MiB bomb took the run past 1 GB; now each stops at 64 MiB.
    expect(peakMb).toBeLessThan(700);
    expect(r.stderr).toMatch(/4 file\(s\) were not read \(too-large\)/);
  }, 150_000);
});

describe('7: one convention, one policy parser, no echoed content', () => {
  const d = tmp('parser');
  const seven = policyFile(d, 'seven.json', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 7, Resource: '*' }] });
  const current = policyFile(d, 'current.json', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });

  it('"Action": 7 is refused the same way by diff, verify and export', () => {
    const rs = [
      run(['diff', '--proposed', seven, '--current', current, '--fail-on-widen']),
      run(['verify', '--policy', seven, '--logs', miniTrail(), '--role', ROLE]),
      run(['export', seven, '--format', 'terraform']),
    ];
    for (const r of rs) {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(ONE_LINE);
      expect(r.stderr).toMatch(/Statement\[0\]\.Action must be a string or a list of strings/);
    }
  });

  it('an identity policy without Resource is refused by diff too, as by verify', () => {
    const noResource = policyFile(d, 'no-resource.json', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject' }] });
    for (const r of [run(['diff', '--proposed', noResource, '--current', current]), run(['verify', '--policy', noResource, '--logs', miniTrail(), '--role', ROLE])]) {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/Statement\[0\] has neither Resource nor NotResource/);
    }
  });

  it('a malformed file with a secret-looking value: the error says where, never what', () => {
    const secret = 'ghp_Z9yX8wV7uT6sR5qP4oN3mL2kJ1iH0gFeDcBa';
    const line2 = ` "environment":{"environmentVariables":[{"name":"TOKEN","value":${secret}}]}}]}`;
    const project = policyFile(d, 'project.json', `{"projects":[{"name":"p","arn":"arn:aws:codebuild:us-east-1:123456789012:project/p",\n${line2}`);
    const policy = policyFile(d, 'secret-policy.json', `{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Sid":${secret}}]}`);
    const evidence = policyFile(d, 'evidence.json', `{"token": ${secret}}`);
    const runs = [
      run(['generate', '--logs', miniTrail(), '--role', ROLE, '--project-file', project]),
      run(['verify', '--policy', policy, '--logs', miniTrail(), '--role', ROLE]),
      run(['diff', '--proposed', policy, '--current', current]),
      run(['diff', '--proposed', current, '--current', current, '--evidence', evidence]),
      run(['export', policy, '--format', 'cloudformation']),
    ];
    for (const r of runs) {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(ONE_LINE);
      expect(r.stderr).not.toContain('ghp_');
      expect(r.stderr).not.toContain('Z9yX8');
      expect(r.stderr).toMatch(/is not valid JSON \(at line \d+, column \d+\)/);
    }
    expect(runs[0].stderr).toContain(`project.json is not valid JSON (at line 2, column ${line2.indexOf('ghp_') + 1})`);
  });

  it('--format json is the machine-readable switch everywhere; verify --json stays as its alias', () => {
    const logs = miniTrail();
    const out = join(tmp('json'), 'out');
    expect(run(['generate', '--logs', logs, '--role', ROLE, '--out', out, '--quiet']).code).toBe(0);
    const a = run(['verify', '--policy', out, '--logs', logs, '--role', ROLE, '--format', 'json']);
    const b = run(['verify', '--policy', out, '--logs', logs, '--role', ROLE, '--json']);
    expect(a.code).toBe(0);
    expect(JSON.parse(a.stdout)).toMatchObject({ denied: [] });
    expect(b.stdout).toBe(a.stdout);
    const diff = run(['diff', '--proposed', out, '--current', out, '--format', 'json']);
    expect(JSON.parse(diff.stdout).verdict).toBeDefined();
    expect(JSON.parse(run(['generate', '--logs', logs, '--role', ROLE, '--format', 'json']).stdout).Statement).toBeDefined();
  });
});

describe('8: colours on a terminal, off with NO_COLOR or when not a terminal', () => {
  const d = tmp('colour');
  const current = policyFile(d, 'current.json', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::a/*' }] });
  const proposed = policyFile(d, 'proposed.json', {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::a/*\u001b]0;owned\u0007' }],
  });
  const args = ['diff', '--proposed', proposed, '--current', current];
  const env = (extra: Record<string, string>): NodeJS.ProcessEnv => {
    const e = { ...process.env, ...extra };
    delete e.FORCE_COLOR;
    if (!('NO_COLOR' in extra)) delete e.NO_COLOR;
    return { ...e, ...extra };
  };

  it('a pipe gets plain text', () => {
    const r = run(args, env({}));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^codebuild-iam diff: /);
    expect(r.stdout).not.toMatch(/\x1b\[3\dm/);
  });

  it('a terminal gets colours, and a policy cannot smuggle its own escapes in; NO_COLOR turns them off', () => {
    const shell = (extra: Record<string, string>): string => {
      const cmd = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
      const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8', env: env(extra), timeout: 30_000 });
      return r.status === 0 ? r.stdout : '';
    };
    const tty = shell({ TERM: 'xterm' });
    if (!tty) return; // no `script` to lend a terminal
    expect(tty).toMatch(/\x1b\[1m\x1b\[31mcodebuild-iam diff: /);
    expect(tty).toMatch(/\x1b\[32m\s+\+ /);
    expect(tty).not.toContain('\x1b]0;owned');
    const off = shell({ TERM: 'xterm', NO_COLOR: '1' });
    expect(off).toMatch(/codebuild-iam diff: /);
    expect(off).not.toMatch(/\x1b\[\d+m/);
  });

  it('FORCE_COLOR=1 colours a pipe, and NO_COLOR still wins', () => {
    expect(run(args, env({ FORCE_COLOR: '1' })).stdout).toMatch(/\x1b\[32m/);
    expect(run(args, env({ FORCE_COLOR: '1', NO_COLOR: '1' })).stdout).not.toMatch(/\x1b\[\d+m/);
  });
});
