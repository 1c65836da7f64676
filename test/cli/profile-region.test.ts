// The client factory (cli/aws-clients.ts), seen from outside: a --profile that does not exist stops every AWS
// command before any request, as an input error (exit 2) naming the flag; --region beats AWS_REGION, which
// beats the profile's region, for the clients each command makes, as the AWS CLI orders them.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonError, queryError, sharedFilesEnv, startAwsEndpoint, type AwsEndpoint, type Handler } from '../support/aws-endpoint.js';
import { AWS_COMMANDS } from '../support/aws-commands.js';
import { runCliAsync } from '../support/run-cli.js';

const deny: Handler = (req) => (req.service === 'query' ? queryError(403, 'AccessDenied', 'denied') : jsonError(400, 'AccessDeniedException', 'denied'));

let endpoint: AwsEndpoint;
let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  endpoint = await startAwsEndpoint(deny);
  dir = mkdtempSync(join(tmpdir(), 'cbiam-profile-region-'));
  env = sharedFilesEnv(dir, `[profile ci]\nregion = eu-central-1\nendpoint_url = ${endpoint.url}\n`, '[ci]\naws_access_key_id = AKIDCI\naws_secret_access_key = s2\n');
  writeFileSync(join(dir, 'policy.json'), JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] }));
});
afterAll(async () => {
  await endpoint?.close();
});

const commands = AWS_COMMANDS;
const withPolicy = (args: string[]): string[] => args.map((a) => (a === 'POLICY' ? join(dir, 'policy.json') : a));

describe('profiles and regions of the client factory', () => {
  it.each(commands)('%s --profile <missing>: exit 2, one line naming --profile, no request', async (_name, args) => {
    endpoint.requests.length = 0;
    const r = await runCliAsync([...withPolicy(args), '--profile', 'nope'], env);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^codebuild-iam: the AWS profile "nope" does not exist .*--profile/);
    expect(endpoint.requests).toEqual([]);
  });

  it.each(commands)('%s: --region beats AWS_REGION, which beats the profile\'s region', async (_name, args) => {
    for (const [extra, extraEnv, want] of [
      [['--region', 'ap-south-1'], { AWS_REGION: 'us-east-2' }, 'ap-south-1'],
      [[], { AWS_REGION: 'us-east-2' }, 'us-east-2'],
      [[], {}, 'eu-central-1'],
    ] as const) {
      endpoint.requests.length = 0;
      const r = await runCliAsync([...withPolicy(args), '--profile', 'ci', ...extra], { ...env, ...extraEnv });
      expect(r.code, r.stderr).toBe(3);
      expect(endpoint.requests.length, r.stderr).toBeGreaterThan(0);
      for (const q of endpoint.requests) expect(q.region, `${q.operation} with ${JSON.stringify([extra, extraEnv])}`).toBe(want);
    }
  });
});
