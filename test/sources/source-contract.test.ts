// One Source contract (src/sources/source.ts): the files source and the lookup source, given the same events,
// return the same kind of value (an aggregate with its stats) and the same evidence from it. The lookup source
// runs the real CloudTrail client against the local fake event history; the files source reads the same
// records written as a trail file.
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesSource } from '../../src/sources/files/read-files.js';
import { lookupSource } from '../../src/sources/lookup/scoped-source.js';
import { parseRoleSpec } from '../../src/sources/role-match.js';
import type { Source, SourceQuery, SourceResult } from '../../src/sources/source.js';
import { toEvidence } from '../../src/translation/aggregate.js';
import { startAwsEndpoint, type AwsEndpoint } from '../support/aws-endpoint.js';
import { assumedRoleRecord, lookupHandler, storedFromRecord } from '../support/lookup-server.js';

const ROLE = 'arn:aws:iam::123456789012:role/service-role/codebuild-demo-service-role';
const SESSION = 'AWSCodeBuild-abcdef01-2345-4678-89ab-cdef01234567';
const start = Date.now() - 3 * 3600e3;

const records = [
  { eventName: 'GetParameters', eventSource: 'ssm.amazonaws.com', region: 'eu-west-1', requestParameters: { names: ['/app/db-url'] } },
  { eventName: 'GetAuthorizationToken', eventSource: 'ecr.amazonaws.com', region: 'eu-west-1' },
  { eventName: 'GetAuthorizationToken', eventSource: 'ecr.amazonaws.com', region: 'eu-west-1' },
  { eventName: 'GetCallerIdentity', eventSource: 'sts.amazonaws.com', region: 'us-east-1' },
  // Another role's call in the same account: neither source may keep it.
  { eventName: 'ListBuckets', eventSource: 's3.amazonaws.com', region: 'eu-west-1', role: 'other-role' },
].map((r, i) =>
  assumedRoleRecord({ ...r, session: SESSION, timeMs: start + (i + 1) * 60e3, eventId: `ev-${i}`, requestParameters: r.requestParameters ?? null }),
);

let endpoint: AwsEndpoint;
let dir: string;
const clients: CloudTrailClient[] = [];
beforeAll(async () => {
  endpoint = await startAwsEndpoint(lookupHandler({ events: records.map((r) => storedFromRecord(r, SESSION)) }));
  dir = mkdtempSync(join(tmpdir(), 'cbiam-contract-'));
  writeFileSync(join(dir, 'events.json'), JSON.stringify({ Records: records }));
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await endpoint?.close();
});

function lookup(): Source {
  return lookupSource(
    {
      region: async () => 'eu-west-1',
      codebuild: () => {
        throw new Error('no CodeBuild call without --project or --build');
      },
      cloudtrail: (region) => {
        const c = new CloudTrailClient({ region, endpoint: endpoint.url, maxAttempts: 1, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
        clients.push(c);
        return c;
      },
    },
    {},
  );
}

const query: SourceQuery = { role: parseRoleSpec(ROLE), since: new Date(start - 3600e3), until: new Date(start + 3600e3) };
const evidence = (r: SourceResult) => toEvidence(r.agg, ROLE, {}, r.stats, []);

describe('every source returns the same aggregate-and-stats value', () => {
  it('files and lookup agree on facts, builds and counts for the same events', async () => {
    const [files, looked] = await Promise.all([filesSource({ paths: [dir], workers: 1 }).read(query), lookup().read(query)]);
    for (const r of [files, looked]) {
      expect(r.stats.matched).toBe(4);
      expect(r.stats.skipped['other-principal']).toBe(1);
      expect(Array.isArray(r.projects) && Array.isArray(r.builds) && Array.isArray(r.warnings) && Array.isArray(r.loud)).toBe(true);
    }
    const a = evidence(files);
    const b = evidence(looked);
    expect(a.facts.length).toBeGreaterThan(0);
    expect(b.facts).toEqual(a.facts);
    expect(b.builds).toEqual(a.builds);
    // What each source says about itself differs: the files source names where it looked, lookup what it cannot see.
    expect(files.where).toMatch(/^in 1 file\(s\) under /);
    expect(looked.warnings.join('\n')).toMatch(/management events only/);
  });
});
