// Checked against data nobody here wrote: the iamlive SDK-operation -> IAM-action map (2022), and a peer's
// (trailscraper's) asserted cases. Disagreements must be listed, with the reason, in
// test/cases/conformance/iamlive-exceptions.json; the peer's known-wrong cases are asserted as ours.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { checkRecord, parseLogText } from '../../src/sources/files/parse.js';
import { normalizeEventName, translate } from '../../src/translation/translate.js';
import { servicePrefix } from '../../src/translation/service-prefix.js';
import { canonicalAction } from '../../src/translation/iam-reference.js';
import type { TrailRecord } from '../../src/model.js';
import { hasShared, readMaybeGzip, sharedPath, walkFiles } from '../support/shared.js';
import { repoPath } from '../support/paths.js';

interface IamliveMap {
  sdk_method_iam_mappings: Record<string, Array<{ action: string }>>;
  service_sdk_mappings: Record<string, string[]>;
}

const exceptions = JSON.parse(readFileSync(repoPath('test/cases/conformance/iamlive-exceptions.json'), 'utf8')) as {
  disagreements: Record<string, { ours: string[]; map: string[]; why: string }>;
};

function corpusPairs(): Map<string, TrailRecord[]> {
  const pairs = new Map<string, TrailRecord[]>();
  for (const file of walkFiles(sharedPath('corpus'))) {
    if (!/\.(json|jsonl)(\.gz)?$/.test(file) || /policy-to-guess/.test(file)) continue;
    for (const r of parseLogText(readMaybeGzip(file)).records) {
      const rec = r && typeof r === 'object' && 'record' in r && !('eventName' in r) ? (r as { record: unknown }).record : r;
      const c = checkRecord(rec);
      if (!c.ok || typeof c.record.eventSource !== 'string' || typeof c.record.eventName !== 'string') continue;
      const k = `${c.record.eventSource} ${c.record.eventName}`;
      pairs.set(k, [...(pairs.get(k) ?? []), c.record]);
    }
  }
  return pairs;
}

describe.skipIf(!hasShared)('conformance with independent data', () => {
  it('agrees with the iamlive map for every corpus (eventSource, eventName) it knows, or lists why not', () => {
    const map = JSON.parse(gunzipSync(readFileSync(sharedPath('conformance/iamlive-map/map.json.gz'))).toString('utf8')) as IamliveMap;
    let compared = 0;
    let agreed = 0;
    const unlisted: string[] = [];
    for (const [pair, records] of [...corpusPairs().entries()].sort()) {
      const [source, name] = pair.split(' ');
      const prefix = servicePrefix(source);
      const op = normalizeEventName(prefix, name);
      const mapped = (map.service_sdk_mappings[prefix] ?? []).map((sdk) => map.sdk_method_iam_mappings[`${sdk}.${op}`]).find((x) => x);
      if (!mapped) continue;
      const ours = new Set<string>();
      let call = false;
      for (const r of records) {
        const t = translate(r);
        if (t.kind === 'call') {
          call = true;
          // Implied companions (PutLogEvents after CreateLogStream) are needs of the build, not of this SDK call.
          for (const p of t.permissions) if (p.origin !== 'implied') ours.add(p.action.toLowerCase());
        }
      }
      if (!call) continue;
      compared++;
      const theirs = new Set(mapped.map((m) => m.action.toLowerCase()));
      // Agreement: every action we emit is one the map names for the call (the map also lists optional
      // companions such as s3:PutObjectTagging for CopyObject, which only some requests need).
      if ([...ours].every((a) => theirs.has(a))) {
        agreed++;
        continue;
      }
      if (!exceptions.disagreements[pair]) unlisted.push(`${pair}: ours ${[...ours].sort().join(',')} map ${[...theirs].sort().join(',')}`);
    }
    console.log(`iamlive map: ${compared} corpus event kinds compared, ${agreed} agree, ${compared - agreed} listed disagreements`);
    expect(compared).toBeGreaterThan(100);
    expect(unlisted).toEqual([]);
  });

  it("passes the peer's asserted cases where they are right, and asserts ours where the peer is wrong", () => {
    const cases = JSON.parse(readFileSync(sharedPath('conformance/trailscraper/expected_cases_from_tests.json'), 'utf8')) as {
      event_name_to_action: Array<{ eventSource?: string; eventName: string; expected: string }>;
      event_source_to_prefix: Array<{ eventSource: string; expected: string }>;
      single_record_to_statement: Array<{ eventSource: string; eventName: string; expected: { Action: string[] } | null }>;
    };
    for (const c of cases.event_source_to_prefix) expect(servicePrefix(c.eventSource), c.eventSource).toBe(c.expected);
    for (const c of cases.event_name_to_action) {
      // The peer strips version suffixes from every service; the rule is Lambda's and CloudFront's only.
      const source = c.eventSource ? `${c.eventSource.replace(/\.amazonaws\.com$/, '')}.amazonaws.com` : /2015|20\d\d_/.test(c.eventName) ? (c.eventName.includes('_') ? 'cloudfront.amazonaws.com' : 'lambda.amazonaws.com') : 'autoscaling.amazonaws.com';
      const t = translate({ eventSource: source, eventName: c.eventName, eventType: 'AwsApiCall', awsRegion: 'us-east-1', recipientAccountId: '123456789012', userIdentity: {} });
      expect(t.kind, `${source} ${c.eventName}`).toBe('call');
      if (t.kind === 'call') expect(t.permissions[0].action.split(':')[1], c.eventName).toBe(c.expected);
    }
    for (const c of cases.single_record_to_statement) {
      const source = c.eventSource.includes('.') ? c.eventSource : `${c.eventSource}.amazonaws.com`;
      const t = translate({ eventSource: source, eventName: c.eventName, eventType: 'AwsApiCall', awsRegion: 'us-east-1', recipientAccountId: '123456789012', userIdentity: {} });
      if (c.expected === null) expect(t.kind, c.eventName).toBe('ignored');
      else if (!c.expected.Action.every((a) => canonicalAction(a))) {
        // The peer asserts an action the IAM reference does not have (cloudwatch:DescribeLogStreams): ours
        // lists such a record as untranslatable instead of granting a made-up action.
        expect(t.kind, `${source} ${c.eventName}`).toBe('untranslatable');
      } else {
        expect(t.kind, `${source} ${c.eventName}`).toBe('call');
        if (t.kind === 'call') expect(t.permissions.map((p) => p.action)).toEqual(c.expected.Action);
      }
    }
    // Where the peer is wrong: PutBucketReplication is not s3:DeleteReplicationConfiguration.
    const repl = translate({ eventSource: 's3.amazonaws.com', eventName: 'PutBucketReplication', eventType: 'AwsApiCall', awsRegion: 'us-east-1', userIdentity: {}, requestParameters: { bucketName: 'b' } });
    expect(repl.kind === 'call' && repl.permissions.map((p) => p.action)).toContain('s3:PutReplicationConfiguration');
  });
});
