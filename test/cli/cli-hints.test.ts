// Hints when the role, the window, --logs or --profile is wrong (issue 20, item 3): each is a spawned CLI run
// with its exit code and its one line on stderr.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../support/run-cli.js';

const A = '123456789012';

function rec(i: number, roleName: string, time: string): Record<string, unknown> {
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole',
      arn: `arn:aws:sts::${A}:assumed-role/${roleName}/AWSCodeBuild-0000000${i}-1111-2222-3333-444444444444`,
      accountId: A,
      sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${A}:role/service-role/${roleName}`, accountId: A } },
    },
    eventTime: time,
    eventSource: 'logs.amazonaws.com',
    eventName: 'CreateLogStream',
    awsRegion: 'us-east-1',
    requestParameters: { logGroupName: '/aws/codebuild/app', logStreamName: `s${i}` },
    eventID: `ev-${i}`,
    eventType: 'AwsApiCall',
    recipientAccountId: A,
  };
}

/** Three files delivered on 2024-03-01, 03-02 and 03-05, holding three roles. */
function trail(): string {
  const d = mkdtempSync(join(tmpdir(), 'cbiam-hints-'));
  const days: Array<[string, string]> = [['01', 'codebuild-app-role'], ['02', 'codebuild-web-role'], ['05', 'deployer']];
  days.forEach(([day, role], k) => {
    const dir = join(d, 'AWSLogs', A, 'CloudTrail', 'us-east-1', '2024', '03', day);
    mkdirSync(dir, { recursive: true });
    const name = `${A}_CloudTrail_us-east-1_202403${day}T1005Z_file${k}abcdefghijk.json.gz`;
    writeFileSync(join(dir, name), gzipSync(JSON.stringify({ Records: [rec(k + 1, role, `2024-03-${day}T10:0${k}:00Z`)] })));
  });
  return d;
}

function oneLine(r: CliResult, code: number): string {
  expect(r.code, r.stderr).toBe(code);
  const lines = r.stderr.split('\n').filter((l) => l.length > 0 && !/NodeVersionSupportWarning|node >=22|January 2027|upgrade to node|continue receiving|a\.co\/|--trace-warnings|^$/.test(l));
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^codebuild-iam: /);
  return lines[0];
}

describe('hints', () => {
  const logs = trail();

  it('a mistyped role lists the closest role names the trail holds', () => {
    const line = oneLine(runCli(['generate', '--logs', logs, '--role', 'codebuild-ap-role', '--quiet']), 2);
    expect(line).toContain('codebuild-app-role');
    // Closest first.
    expect(line.indexOf('codebuild-app-role')).toBeLessThan(line.indexOf('codebuild-web-role'));
  });

  it('a window that excludes every file says so and gives the first and last delivery dates', () => {
    const line = oneLine(runCli(['generate', '--logs', logs, '--role', 'codebuild-app-role', '--since', '2025-01-01T00:00:00Z', '--quiet']), 2);
    expect(line).toMatch(/window/);
    expect(line).toMatch(/every/);
    expect(line).toContain('2024-03-01T10:05');
    expect(line).toContain('2024-03-05T10:05');
    expect(line).not.toMatch(/check --role/);
  });

  it('s3:// or a Windows path for --logs says --logs reads local files, and points at aws s3 sync or --source athena', () => {
    for (const p of ['s3://my-trail-bucket/AWSLogs/', 'C:\\trail\\AWSLogs', '\\\\server\\share\\AWSLogs']) {
      const line = oneLine(runCli(['generate', '--logs', p, '--role', 'codebuild-app-role', '--quiet']), 2);
      expect(line, p).toMatch(/--logs reads local files/);
      expect(line, p).toMatch(/aws s3 sync/);
      expect(line, p).toMatch(/--source athena/);
    }
  });

  it('a profile that does not exist says so, not "no credentials"', () => {
    const d = mkdtempSync(join(tmpdir(), 'cbiam-hints-aws-'));
    writeFileSync(join(d, 'config'), '[default]\nregion = us-east-1\n\n[profile dev]\nregion = eu-west-1\n');
    writeFileSync(join(d, 'credentials'), '[ci]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = x\n');
    const env = {
      PATH: process.env.PATH,
      HOME: d,
      AWS_CONFIG_FILE: join(d, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(d, 'credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    };
    const line = oneLine(runCli(['generate', '--source', 'lookup', '--project', 'app', '--profile', 'nope', '--region', 'us-east-1', '--quiet'], env), 2);
    expect(line).toMatch(/profile "?nope"? does not exist/);
    expect(line).not.toMatch(/no AWS credentials/);
    // The same through AWS_PROFILE.
    const viaEnv = oneLine(runCli(['generate', '--source', 'lookup', '--project', 'app', '--region', 'us-east-1', '--quiet'], { ...env, AWS_PROFILE: 'nope' }), 2);
    expect(viaEnv).toMatch(/profile "?nope"? does not exist/);
    // Profiles of either file pass the check (and then fail at the closed endpoint, for another reason).
    for (const p of ['dev', 'ci']) {
      const r = runCli(['generate', '--source', 'lookup', '--project', 'app', '--profile', p, '--region', 'us-east-1', '--quiet'], env);
      expect(r.stderr, p).not.toMatch(/does not exist/);
    }
  });
});
