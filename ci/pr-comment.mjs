#!/usr/bin/env node
// Posts a markdown file as the one codebuild-iam comment on a pull request, or updates it when an earlier run
// posted one (found by the marker line below). Plain Node (20+, global fetch), no dependencies, so it runs
// from a fresh clone. Usage: node ci/pr-comment.mjs <body.md>
// Environment: GITHUB_TOKEN, GITHUB_REPOSITORY (owner/name), and the pull request as PR_NUMBER or from
// GITHUB_EVENT_PATH (pull_request.number); GITHUB_API_URL (default https://api.github.com).
// Exit 0 posted or updated, 2 usage, 3 the API refused.
import { readFileSync } from 'node:fs';

const MARKER = '<!-- codebuild-iam diff comment -->';
const LIMIT = 65_536;

function fail(code, message) {
  process.stderr.write(`pr-comment: ${message}\n`);
  process.exit(code);
}

function prNumber() {
  if (process.env.PR_NUMBER) return process.env.PR_NUMBER;
  const path = process.env.GITHUB_EVENT_PATH;
  if (!path) return undefined;
  try {
    const n = JSON.parse(readFileSync(path, 'utf8'))?.pull_request?.number;
    return n === undefined ? undefined : String(n);
  } catch {
    return undefined;
  }
}

const [file] = process.argv.slice(2);
const token = process.env.GITHUB_TOKEN;
const repo = process.env.GITHUB_REPOSITORY;
const pr = prNumber();
if (!file) fail(2, 'usage: node ci/pr-comment.mjs <body.md>');
if (!token) fail(2, 'GITHUB_TOKEN is not set');
if (!repo || !/^[\w.-]+\/[\w.-]+$/.test(repo)) fail(2, 'GITHUB_REPOSITORY must be owner/name');
if (!pr || !/^\d+$/.test(pr)) fail(2, 'no pull request number: set PR_NUMBER, or run on a pull_request event');
const api = (process.env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/+$/, '');

let text;
try {
  text = readFileSync(file, 'utf8');
} catch (e) {
  fail(2, `cannot read ${file} (${e.code ?? e})`);
}
// The diff keeps its comment under GitHub's limit; the marker needs room too.
const room = LIMIT - MARKER.length - 1;
const body = `${MARKER}\n${text.length > room ? `${text.slice(0, text.lastIndexOf('\n', room - 80))}\n\n… (cut to fit one comment)\n` : text}`;

async function call(method, url, payload) {
  const res = await fetch(url, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      Accept: 'application/vnd.github+json',
      'X-GitHub-Api-Version': '2022-11-28',
      'User-Agent': 'codebuild-iam-pr-comment',
      ...(payload ? { 'Content-Type': 'application/json' } : {}),
    },
    ...(payload ? { body: JSON.stringify(payload) } : {}),
  });
  if (!res.ok) fail(3, `${method} ${new URL(url).pathname} answered ${res.status}`);
  return res;
}

/** Our earlier comment: the first comment whose body starts with the marker, across every page. */
async function findOurs() {
  let url = `${api}/repos/${repo}/issues/${pr}/comments?per_page=100`;
  while (url) {
    const res = await call('GET', url);
    const comments = await res.json();
    const ours = Array.isArray(comments) ? comments.find((c) => typeof c?.body === 'string' && c.body.startsWith(MARKER)) : undefined;
    if (ours) return ours;
    const next = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '');
    // Follow pages only on the same API host: a Link header never sends the token elsewhere.
    url = next && new URL(next[1]).origin === new URL(api).origin ? next[1] : undefined;
  }
  return undefined;
}

const ours = await findOurs();
if (ours && Number.isInteger(ours.id)) {
  await call('PATCH', `${api}/repos/${repo}/issues/comments/${ours.id}`, { body });
  process.stdout.write(`updated comment ${ours.id} on ${repo}#${pr}\n`);
} else {
  const res = await call('POST', `${api}/repos/${repo}/issues/${pr}/comments`, { body });
  const created = await res.json();
  process.stdout.write(`posted comment ${created?.id ?? ''} on ${repo}#${pr}\n`);
}
