// report.html in a real browser: the demo's page shows the grid and the timeline that policy.json and
// evidence.json imply, makes no request, and text from the trail stays text. A screenshot is kept in
// test-artifacts/ for a person to look at.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, hasChromium, launch, openFile } from '../support/browser.js';
import { runCli } from '../support/run-cli.js';
import { repoPath } from '../support/paths.js';

const DEMO_ROLE = 'arn:aws:iam::123456789012:role/service-role/codebuild-demo-app-service-role';
const ARTIFACTS = repoPath('test-artifacts/');

interface PolicyDoc {
  Statement: Array<{ Action?: string | string[] }>;
}

function generate(args: string[]): string {
  const out = mkdtempSync(join(tmpdir(), 'cbiam-html-'));
  const r = runCli(['generate', ...args, '--out', out, '--quiet']);
  expect(r.code, r.stderr).toBe(0);
  return out;
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

if (!hasChromium) console.warn(chromiumMissing);

describe.skipIf(!hasChromium)('report.html in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('shows every granted and denied action of the demo in the grid and one timeline row per build, and makes no request', async () => {
    const out = generate(['--logs', 'fixtures/demo/trail', '--role', DEMO_ROLE, '--project-file', 'fixtures/demo/project.json']);
    const page = join(out, 'report.html');
    const { page: p, requests } = await openFile(browser, page);
    expect(requests).toEqual([`file://${page}`]);
    // Independent of the page: what the written policy grants and what evidence.json says was denied.
    const policy = JSON.parse(readFileSync(join(out, 'policy.json'), 'utf8')) as PolicyDoc;
    const evidence = JSON.parse(readFileSync(join(out, 'evidence.json'), 'utf8')) as {
      denied: Array<{ action: string }>;
      summary: { builds: number };
    };
    const granted = new Set(policy.Statement.flatMap((s) => list(s.Action)));
    const chips = await p.$$eval('#grid .chip', (els) => els.map((e) => ({ action: e.getAttribute('data-action') ?? '', status: (e.getAttribute('data-status') ?? '').split(' ') })));
    const byAction = new Map(chips.map((c) => [c.action, c.status]));
    for (const a of granted) expect(byAction.get(a)?.some((s) => ['granted', 'implied', 'inferred'].includes(s)), a).toBe(true);
    expect(evidence.denied.length).toBeGreaterThan(0);
    for (const d of evidence.denied) expect(byAction.get(d.action), d.action).toContain('denied');
    // Chips that claim "granted" are exactly the policy's actions.
    expect(new Set(chips.filter((c) => c.status.some((s) => ['granted', 'implied', 'inferred'].includes(s))).map((c) => c.action))).toEqual(granted);
    const services = await p.$$eval('#grid tbody th', (els) => els.map((e) => e.textContent));
    expect(services).toEqual([...new Set(chips.map((c) => c.action.split(':')[0]))].sort());
    // The timeline: one bar per build, left to right in the order of the builds' first events.
    const bars = await p.$$eval('#timeline svg g.build rect', (els) => els.map((e) => Number(e.getAttribute('x'))));
    expect(bars.length).toBe(evidence.summary.builds);
    const firsts = await p.$$eval('#timeline table.builds tbody tr', (rows) => rows.map((r) => r.querySelectorAll('td')[0]?.textContent ?? ''));
    expect(firsts.length).toBe(evidence.summary.builds);
    expect([...firsts].sort()).toEqual(firsts);
    expect([...bars].sort((a, b) => a - b)).toEqual(bars);
    expect(bars[0]).toBeLessThan(bars[bars.length - 1]);
    // Action needed comes first, before the grid.
    const sections = await p.$$eval('main > section', (els) => els.map((e) => e.id));
    expect(sections[0]).toBe('action-needed');
    expect(await p.textContent('#action-needed')).toContain(evidence.denied[0].action);
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'report-html-demo.png'), await p.screenshot({ fullPage: true }));
    await p.close();
  }, 60_000);

  it('keeps HTML from the trail inert: no element, no request, the text shown as text', async () => {
    const role = 'arn:aws:iam::123456789012:role/service-role/cb-role';
    const dir = mkdtempSync(join(tmpdir(), 'cbiam-html-hostile-'));
    const hostile = [
      'k<img src=http://127.0.0.1:9/pixel.png>',
      '</code></td><script>document.title=1</script>',
      'x\u202Egnp.exe<iframe src=http://127.0.0.1:9/>',
      '<a href=http://127.0.0.1:9/>Approve</a><!--',
    ];
    const records = hostile.flatMap((key, i) =>
      [1, 2].map((b) => ({
        eventVersion: '1.09',
        userIdentity: {
          type: 'AssumedRole',
          arn: `arn:aws:sts::123456789012:assumed-role/cb-role/AWSCodeBuild-0000000${b}-1111-2222-3333-444444444444`,
          accountId: '123456789012',
          sessionContext: { sessionIssuer: { type: 'Role', arn: role, accountId: '123456789012' } },
        },
        eventTime: `2024-03-01T10:0${b}:0${i}Z`,
        eventSource: 's3.amazonaws.com',
        eventName: 'PutObject',
        awsRegion: 'us-east-1',
        requestParameters: { bucketName: 'artifacts', key: `${key}/${b}` },
        eventID: `ev-${i}-${b}`,
        eventType: 'AwsApiCall',
        recipientAccountId: '123456789012',
      })),
    );
    writeFileSync(join(dir, '123456789012_CloudTrail_us-east-1_20240301T1010Z_abcdefghijklmnop.json.gz'), gzipSync(JSON.stringify({ Records: records })));
    const out = generate(['--logs', dir, '--role', role, '--resources', 'exact']);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).not.toMatch(/<(img|script|iframe|a)\b/i);
    expect(html).not.toContain('\u202E');
    const { page: p, requests } = await openFile(browser, join(out, 'report.html'));
    expect(requests).toEqual([`file://${join(out, 'report.html')}`]);
    const live = await p.$$eval('img, script, iframe, a, object, embed, link, video, audio, source, form', (els) => els.length);
    expect(live).toBe(0);
    expect(await p.title()).toMatch(/^Least privilege for /);
    const text = (await p.textContent('body')) ?? '';
    // What a reviewer reads is the trail's text, visibly: the markup shown literally, the bidi override named.
    expect(text).toContain('<img src=http://127.0.0.1:9/pixel.png>');
    expect(text).toContain('<script>document.title=1</script>');
    expect(text).toContain('<U+202E>');
    await p.close();
  }, 60_000);

  it('diff --format html: widening first, removed/added/kept chips as the policies say, hostile names inert', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cbiam-diff-html-'));
    const doc = (actions: string[]): string => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: 'arn:aws:s3:::artifacts/*' }] });
    writeFileSync(join(dir, 'current.json'), doc(['s3:GetObject', 's3:DeleteObject']));
    // Action names are checked by the policy parser, so the attack rides in a resource and a condition value.
    writeFileSync(
      join(dir, 'proposed.json'),
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::artifacts/*' },
          {
            Effect: 'Allow',
            Action: ['s3:PutObject'],
            Resource: 'arn:aws:s3:::artifacts/<img src=http://127.0.0.1:9/x.png>',
            Condition: { StringEquals: { 'aws:PrincipalTag/team': '</code><script>document.title=1</script>' } },
          },
        ],
      }),
    );
    const page = join(dir, 'diff.html');
    const r = runCli(['diff', '--current', join(dir, 'current.json'), '--proposed', join(dir, 'proposed.json'), '--format', 'html', '--out', page]);
    expect(r.code, r.stderr).toBe(0);
    const { page: p, requests } = await openFile(browser, page);
    expect(requests).toEqual([`file://${page}`]);
    expect(await p.$$eval('img, script, iframe, a, object, embed, link', (els) => els.length)).toBe(0);
    const status = new Map(await p.$$eval('#grid .chip', (els) => els.map((e) => [e.getAttribute('data-action') ?? '', e.getAttribute('data-status') ?? ''] as [string, string])));
    expect(status.get('s3:DeleteObject')).toBe('removed');
    expect(status.get('s3:PutObject')).toBe('added');
    expect(status.get('s3:GetObject')).toBe('kept');
    expect(await p.$eval('main > section', (el) => el.id)).toBe('action-needed');
    expect(await p.textContent('#action-needed')).toContain('s3:PutObject');
    expect(await p.title()).toBe('Policy diff: widens');
    expect(await p.textContent('body')).toContain('<img src=http://127.0.0.1:9/x.png>');
    await p.close();
  }, 60_000);
});
