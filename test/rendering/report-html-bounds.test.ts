// report.html stays small whatever the trail's size: a trial of thousands of builds, each with its own log
// stream and artifacts, gives a page well under 1 MB, with the timeline cut to its limit and the cut said.
import { describe, expect, it } from 'vitest';
import type { WeightedRecord } from '../../src/model.js';
import { runPipeline } from '../../src/pipeline.js';
import { LIMITS } from '../../src/rendering/html/view.js';
import { addTranslation, newAggregate, toEvidence } from '../../src/translation/aggregate.js';
import { translate } from '../../src/translation/translate.js';

const ROLE = 'arn:aws:iam::123456789012:role/service-role/cb-role';
const BUILDS = 3000;

function record(b: number, source: string, name: string, request: Record<string, unknown>): WeightedRecord {
  const uuid = `${b.toString(16).padStart(8, '0')}-1111-4222-8333-444444444444`;
  const time = new Date(Date.UTC(2024, 2, 1) + b * 60_000).toISOString().replace('.000Z', 'Z');
  return {
    record: {
      eventVersion: '1.09',
      userIdentity: {
        type: 'AssumedRole',
        arn: `arn:aws:sts::123456789012:assumed-role/cb-role/AWSCodeBuild-${uuid}`,
        accountId: '123456789012',
        sessionContext: { sessionIssuer: { type: 'Role', arn: ROLE, accountId: '123456789012' } },
      },
      eventTime: time,
      eventSource: source,
      eventName: name,
      awsRegion: 'us-east-1',
      requestParameters: request,
      eventID: `${b}-${name}`,
      eventType: 'AwsApiCall',
      recipientAccountId: '123456789012',
    },
    count: 1,
    firstSeen: time,
    lastSeen: time,
    origin: 'test',
  };
}

describe('report.html size', () => {
  it(`stays under 1 MB for ${BUILDS} builds, listing at most ${LIMITS.builds} in the timeline and saying how many are left out`, () => {
    const agg = newAggregate();
    for (let b = 0; b < BUILDS; b++) {
      const uuid = `${b.toString(16).padStart(8, '0')}-1111-4222-8333-444444444444`;
      for (const w of [
        record(b, 'logs.amazonaws.com', 'CreateLogStream', { logGroupName: '/aws/codebuild/app', logStreamName: uuid }),
        record(b, 's3.amazonaws.com', 'PutObject', { bucketName: 'artifacts', key: `app/${uuid}/app.zip` }),
      ]) {
        addTranslation(agg, w, translate(w.record));
      }
    }
    const evidence = toEvidence(agg, ROLE, {}, { files: 1, filesSkippedByName: 0, filesSkippedByContent: 0, digestFiles: 0, records: 2 * BUILDS, matched: 2 * BUILDS, skipped: {}, fileProblems: {}, notes: [] }, []);
    expect(evidence.buildSpans?.length).toBe(BUILDS);
    const html = runPipeline(evidence, { resources: 'generalize', boundaryScope: 'services', inferred: [], projectArns: [] }).files['report.html'];
    expect(Buffer.byteLength(html)).toBeLessThan(1_000_000);
    expect(html.match(/<g class="build">/g)?.length).toBe(LIMITS.builds);
    expect(html).toContain(`${BUILDS - LIMITS.builds} more build(s) are left out of the timeline`);
    // One row per granted pattern: the thousands of log streams behind log-stream:* are a sample and a count.
    const streams = html.match(/log-stream:\*<\/code><\/td><td>(.*?)<\/td>/)?.[1] ?? '';
    expect(streams.match(/<code>/g)?.length).toBe(LIMITS.generalizedValues);
    expect(streams).toContain(`… and ${BUILDS - LIMITS.generalizedValues} more`);
  });
});

describe('report.html Action needed agrees with report.md', () => {
  it('lists needs CloudTrail cannot show only while no project configuration grants them, in both reports', () => {
    const agg = newAggregate();
    const w = record(1, 's3.amazonaws.com', 'PutObject', { bucketName: 'artifacts', key: 'app/1/app.zip' });
    addTranslation(agg, w, translate(w.record));
    const read = { files: 1, filesSkippedByName: 0, filesSkippedByContent: 0, digestFiles: 0, records: 1, matched: 1, skipped: {}, fileProblems: {}, notes: [] };
    const evidence = { ...toEvidence(agg, ROLE, {}, read, []), unobserved: [{ action: 'ecr:BatchGetImage', resource: '*', reason: 'the build image', count: 1 }] };
    const section = (html: string): string => html.slice(html.indexOf('id="action-needed"'), html.indexOf('id="grid"'));
    const bare = runPipeline(evidence, { resources: 'generalize', boundaryScope: 'services', inferred: [], projectArns: [] }).files;
    expect(section(bare['report.html'])).toContain('Needs CloudTrail cannot show, not granted');
    expect(bare['report.md']).toContain('Needs CloudTrail cannot show, not granted');
    const inferred = { ...evidence.facts[0], action: 'ecr:BatchGetImage', resource: '*', origin: 'inferred' as const };
    const withProject = runPipeline(evidence, { resources: 'exact', boundaryScope: 'services', inferred: [inferred], projectArns: [] }).files;
    expect(section(withProject['report.html'])).not.toContain('Needs CloudTrail cannot show');
    expect(withProject['report.md']).not.toContain('Needs CloudTrail cannot show, not granted');
    // A risky choice is action in both.
    expect(section(withProject['report.html'])).toContain('--resources exact');
    expect(withProject['report.md']).toContain('`--resources exact`');
  });
});
