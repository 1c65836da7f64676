// The GitHub Action (action.yml) and its comment script, run locally against the demo: the diff step's own
// script from action.yml, then ci/pr-comment.mjs against a fake GitHub API on loopback. One comment per pull
// request: posted once, updated after. Inputs never reach a script except through the environment.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { repoPath } from '../support/paths.js';

const ROOT = repoPath('./');
const DEMO = join(ROOT, 'fixtures/demo');
const ROLE = 'arn:aws:iam::123456789012:role/service-role/codebuild-demo-app-service-role';
const SCRIPT = join(ROOT, 'ci/pr-comment.mjs');

interface Step { name: string; id?: string; run?: string; env?: Record<string, string>; if?: string }
const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { runs: { using: string; steps: Step[] } };

interface Comment { id: number; body: string }
interface FakeGitHub { server: Server; url: string; comments: Comment[]; requests: Array<{ method: string; path: string; auth?: string }> }

async function startFakeGitHub(): Promise<FakeGitHub> {
  const fake: FakeGitHub = { server: createServer(), url: '', comments: [{ id: 7, body: 'LGTM from a person' }], requests: [] };
  const body = (req: IncomingMessage): Promise<string> => new Promise((ok) => { let s = ''; req.on('data', (c) => (s += c)); req.on('end', () => ok(s)); });
  fake.server.on('request', async (req, res) => {
    const url = new URL(req.url ?? '/', fake.url);
    fake.requests.push({ method: req.method ?? '', path: url.pathname + url.search, auth: req.headers.authorization });
    const json = (code: number, value: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(code, { 'Content-Type': 'application/json', ...headers });
      res.end(JSON.stringify(value));
    };
    if (req.method === 'GET' && url.pathname === '/repos/o/r/issues/5/comments') {
      // Two pages: ours (if any) is on the second, and the first page's Link also offers a foreign host.
      const page = url.searchParams.get('page') ?? '1';
      if (page === '1') return json(200, fake.comments.slice(0, 1), { Link: `<${fake.url}/repos/o/r/issues/5/comments?per_page=100&page=2>; rel="next"` });
      return json(200, fake.comments.slice(1), { Link: '<https://evil.example/steal?page=3>; rel="next"' });
    }
    if (req.method === 'POST' && url.pathname === '/repos/o/r/issues/5/comments') {
      const c = { id: 100 + fake.comments.length, body: (JSON.parse(await body(req)) as { body: string }).body };
      fake.comments.push(c);
      return json(201, c);
    }
    const m = /^\/repos\/o\/r\/issues\/comments\/(\d+)$/.exec(url.pathname);
    if (req.method === 'PATCH' && m) {
      const c = fake.comments.find((x) => x.id === Number(m[1]));
      if (!c) return json(404, {});
      c.body = (JSON.parse(await body(req)) as { body: string }).body;
      return json(200, c);
    }
    json(404, { message: 'not found' });
  });
  await new Promise<void>((ok) => fake.server.listen(0, '127.0.0.1', ok));
  fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
  return fake;
}

let gh: FakeGitHub;
let work: string;
beforeAll(async () => {
  gh = await startFakeGitHub();
  work = mkdtempSync(join(tmpdir(), 'cbiam-ci-'));
});
afterAll(() => new Promise<void>((ok) => gh.server.close(() => ok())));

/** Runs one step's `run` script of action.yml with bash, as the runner would. */
function runStep(step: Step, env: Record<string, string>): { code: number; stdout: string; stderr: string } {
  const r = spawnSync('bash', ['-e', '-c', step.run ?? ''], { env: { ...process.env, ...env }, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The comment script, asynchronously: the fake API answers from this process. */
function comment(env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((ok) => {
    const child = spawn(process.execPath, [SCRIPT, join(work, 'codebuild-iam-diff.md')], {
      env: { PATH: process.env.PATH ?? '', GITHUB_TOKEN: 'test-token', GITHUB_REPOSITORY: 'o/r', GITHUB_API_URL: gh.url, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (status) => ok({ status, stdout, stderr }));
  });
}

describe('the GitHub Action', () => {
  it('is a composite action whose scripts take inputs only from the environment', () => {
    expect(action.runs.using).toBe('composite');
    for (const s of action.runs.steps) expect(s.run ?? '', s.name).not.toMatch(/\$\{\{/);
    expect(action.runs.steps.map((s) => s.run ?? '').join('\n')).not.toMatch(/npx|npm (i|install) codebuild-iam/);
  });

  it('runs diff on the demo, then posts one comment and updates it on the next run', async () => {
    const out = join(work, 'proposed');
    expect(runCli(['generate', '--logs', join(DEMO, 'trail'), '--role', ROLE, '--out', out, '--quiet']).code).toBe(0);
    const diffStep = action.runs.steps.find((s) => s.id === 'diff')!;
    const outputs = join(work, 'outputs');
    writeFileSync(outputs, '');
    const r = runStep(diffStep, {
      GITHUB_ACTION_PATH: ROOT, RUNNER_TEMP: work, GITHUB_OUTPUT: outputs, GITHUB_STEP_SUMMARY: join(work, 'summary.md'),
      CBIAM_PROPOSED: out, CBIAM_CURRENT: join(DEMO, 'current-policy.json'), CBIAM_ROLE: '', CBIAM_EVIDENCE: join(out, 'evidence.json'), CBIAM_FAIL_ON_WIDEN: 'true',
    });
    expect(r.code, r.stderr).toBe(0);
    // The demo proposal widens S3 (new artifact buckets): exit 1 with --fail-on-widen, and the comment says so.
    expect(readFileSync(outputs, 'utf8')).toContain('code=1');
    const md = readFileSync(join(work, 'codebuild-iam-diff.md'), 'utf8');
    expect(md).toMatch(/WIDENS/);

    const first = await comment({ PR_NUMBER: '5' });
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^posted comment 101 on o\/r#5/);
    const second = await comment({ GITHUB_EVENT_PATH: writeEvent(5) });
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/^updated comment 101/);
    expect(gh.comments.map((c) => c.id)).toEqual([7, 101]);
    expect(gh.comments[0].body).toBe('LGTM from a person');
    expect(gh.comments[1].body).toBe(`<!-- codebuild-iam diff comment -->\n${md}`);
    expect(gh.requests.every((q) => q.auth === 'Bearer test-token')).toBe(true);
    // The Link header pointing at another host was not followed (the token stays with the API).
    expect(gh.requests.some((q) => q.path.includes('steal'))).toBe(false);
  });

  it('refuses to run without a token, repository or pull request (exit 2), and reports API refusals (exit 3)', async () => {
    expect((await comment({ GITHUB_TOKEN: '' })).status).toBe(2);
    expect((await comment({ GITHUB_REPOSITORY: 'o/r; rm -rf /', PR_NUMBER: '5' })).status).toBe(2);
    expect((await comment({})).status).toBe(2);
    const refused = await comment({ PR_NUMBER: '6' });
    expect(refused.status).toBe(3);
    expect(refused.stderr).not.toContain('test-token');
  });
});

function writeEvent(n: number): string {
  const p = join(work, 'event.json');
  writeFileSync(p, JSON.stringify({ pull_request: { number: n } }));
  return p;
}
