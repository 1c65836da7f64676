// --profile reaches every AWS client the CLI makes (cli/aws-clients.ts): the generate sources (lookup, athena,
// lake), `diff --role` and a live `audit`. Two profiles in a temporary AWS config, each with its own keys,
// region and endpoint_url (a local fake endpoint each): every request must go to the chosen profile's endpoint,
// signed with its key for its region, and the other profile's endpoint must see nothing.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonError, queryError, sharedFilesEnv, startAwsEndpoint, type AwsEndpoint, type Handler } from '../support/aws-endpoint.js';
import { AWS_COMMANDS } from '../support/aws-commands.js';
import { runCliAsync } from '../support/run-cli.js';

// Every call is denied: the command stops after its first calls, which is all this test looks at.
const deny: Handler = (req) => (req.service === 'query' ? queryError(403, 'AccessDenied', 'denied') : jsonError(400, 'AccessDeniedException', 'denied'));

let chosen: AwsEndpoint;
let other: AwsEndpoint;
let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  chosen = await startAwsEndpoint(deny);
  other = await startAwsEndpoint(deny);
  dir = mkdtempSync(join(tmpdir(), 'cbiam-profiles-'));
  env = sharedFilesEnv(
    dir,
    `[default]\nregion = us-west-2\nendpoint_url = ${other.url}\n\n[profile ci]\nregion = eu-central-1\nendpoint_url = ${chosen.url}\n`,
    '[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = s1\n\n[ci]\naws_access_key_id = AKIDCI\naws_secret_access_key = s2\n',
  );
  writeFileSync(join(dir, 'policy.json'), JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] }));
});
afterAll(async () => {
  await chosen?.close();
  await other?.close();
});

const commands = AWS_COMMANDS;

describe('--profile reaches the clients of every command', () => {
  it.each(commands)('%s: the profile\'s endpoint, key and region; nothing to the other profile', async (_name, args) => {
    chosen.requests.length = 0;
    other.requests.length = 0;
    const r = await runCliAsync([...args.map((a) => (a === 'POLICY' ? join(dir, 'policy.json') : a)), '--profile', 'ci'], env);
    // Denied by the fake endpoint: a one-line AWS failure, after at least one call.
    expect(r.code, r.stderr).toBe(3);
    expect(chosen.requests.length, r.stderr).toBeGreaterThan(0);
    for (const q of chosen.requests) {
      expect(String(q.headers.authorization), q.operation).toContain('Credential=AKIDCI/');
      expect(q.region, q.operation).toBe('eu-central-1');
    }
    expect(other.requests).toEqual([]);
  });

  it('without --profile the default profile signs (the test can tell them apart)', async () => {
    chosen.requests.length = 0;
    other.requests.length = 0;
    const r = await runCliAsync(['generate', '--source', 'lookup', '--project', 'demo', '--quiet'], env);
    expect(r.code, r.stderr).toBe(3);
    expect(chosen.requests).toEqual([]);
    expect(other.requests.length).toBeGreaterThan(0);
    for (const q of other.requests) {
      expect(String(q.headers.authorization)).toContain('Credential=AKIDDEFAULT/');
      expect(q.region).toBe('us-west-2');
    }
  });
});
