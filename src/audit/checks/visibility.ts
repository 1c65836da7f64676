// Layer 5, visibility: build logs kept, a trail that records what the role does (management events in the
// project's region, S3 data events for its buckets) and an alarm on failed builds.
import type { AdvancedEventSelector } from '@aws-sdk/client-cloudtrail';
import type { MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { AuditInput, TrailInfo } from '../model.js';
import { configRule, controlTower, DOCS, prowler, securityHub } from '../sources.js';
import { projectBuckets, projectName } from './common.js';
import { given, layerChecks, type Outcome, type Problem } from './define.js';

function logsCheck(input: AuditInput): Outcome {
  const logs = input.snapshot.project.logsConfig;
  // CloudWatch Logs are on unless turned off (LogsConfig: "ENABLED" is the default).
  const cw = logs?.cloudWatchLogs?.status !== 'DISABLED';
  const s3 = logs?.s3Logs?.status === 'ENABLED';
  if (cw || s3) return [];
  return [{
    message: 'The project keeps no build logs: what a build ran cannot be reconstructed.',
    evidence: ['logsConfig.cloudWatchLogs.status: DISABLED', `logsConfig.s3Logs.status: ${logs?.s3Logs?.status ?? 'not set'}`],
    fix: 'Enable CloudWatch Logs (or S3 logs, encrypted) in the project\'s logsConfig.',
  }];
}

/** The account's trails, or why a trail check cannot run. */
const describedTrails = (input: AuditInput): TrailInfo[] | { skipped: string } =>
  input.snapshot.trails ?? { skipped: 'no CloudTrail descriptions were given (describe-trails, get-event-selectors)' };

function coversRegion(t: TrailInfo, region: string): boolean {
  return t.isLogging !== false && (t.trail.IsMultiRegionTrail === true || t.trail.HomeRegion === region);
}

function field(sel: AdvancedEventSelector, name: string): NonNullable<AdvancedEventSelector['FieldSelectors']>[number] | undefined {
  return sel.FieldSelectors?.find((f) => f.Field === name);
}

/** Whether the trail records read and write management events; undefined when its selectors are not known. */
function recordsManagement(t: TrailInfo): boolean | undefined {
  if (t.advancedEventSelectors?.length) {
    return t.advancedEventSelectors.some((s) => field(s, 'eventCategory')?.Equals?.includes('Management') && !field(s, 'readOnly'));
  }
  if (t.eventSelectors?.length) return t.eventSelectors.some((s) => s.IncludeManagementEvents !== false && (s.ReadWriteType ?? 'All') === 'All');
  return undefined;
}

function trailManagementCheck(trails: TrailInfo[], input: AuditInput): Outcome {
  const region = input.snapshot.region;
  const inRegion = trails.filter((t) => coversRegion(t, region));
  const good = inRegion.filter((t) => recordsManagement(t) !== false);
  if (good.length) {
    const unknown = good.every((t) => recordsManagement(t) === undefined);
    return { problems: [], note: unknown ? 'event selectors not described: a trail records all management events unless its selectors say otherwise' : undefined };
  }
  return [{
    message: `No logging trail records all management events in ${region}: the role's calls are kept only 90 days in the event history, and \`generate\` needs that history or a trail.`,
    evidence: [`${trails.length} trail(s) described; ${inRegion.length} logging in ${region}; none records read and write management events`],
    fix: `Create a multi-region trail (or one in ${region}) with management events, read and write.`,
  }];
}

function dataSelectorCovers(t: TrailInfo, partition: string, bucket: string): boolean {
  const objectArn = `arn:${partition}:s3:::${bucket}/`;
  for (const s of t.advancedEventSelectors ?? []) {
    if (!field(s, 'eventCategory')?.Equals?.includes('Data')) continue;
    if (!field(s, 'resources.type')?.Equals?.includes('AWS::S3::Object')) continue;
    if (field(s, 'readOnly')) continue;
    const arn = field(s, 'resources.ARN');
    if (!arn) return true;
    if ((arn.NotStartsWith ?? []).some((p) => objectArn.startsWith(p))) continue;
    if (arn.StartsWith?.some((p) => objectArn.startsWith(p))) return true;
    if (arn.Equals || arn.StartsWith) continue;
    return true;
  }
  for (const s of t.eventSelectors ?? []) {
    if ((s.ReadWriteType ?? 'All') !== 'All') continue;
    for (const d of s.DataResources ?? []) {
      if (d.Type !== 'AWS::S3::Object') continue;
      if ((d.Values ?? []).some((v) => v === `arn:${partition}:s3` || v === `arn:${partition}:s3:::` || objectArn.startsWith(v))) return true;
    }
  }
  return false;
}

function trailDataCheck(trails: TrailInfo[], input: AuditInput): Outcome {
  const buckets = projectBuckets(input.snapshot.project);
  if (!buckets.length) return { problems: [], note: 'the project uses no S3 bucket' };
  const inRegion = trails.filter((t) => coversRegion(t, input.snapshot.region));
  const problems: Problem[] = [];
  const byBucket = new Map<string, string[]>();
  for (const b of buckets) byBucket.set(b.bucket, [...(byBucket.get(b.bucket) ?? []), b.use]);
  for (const [bucket, uses] of [...byBucket].sort(([a], [b]) => a.localeCompare(b))) {
    if (inRegion.some((t) => dataSelectorCovers(t, input.snapshot.partition, bucket))) continue;
    problems.push({
      resource: `arn:${input.snapshot.partition}:s3:::${bucket}`,
      key: bucket,
      message: `No trail records S3 object calls on ${bucket} (${uses.join(', ')}): \`generate\` cannot see the build's GetObject/PutObject calls there and has to infer them from the project's configuration.`,
      evidence: [`bucket ${bucket}: ${uses.join(', ')}`, `${inRegion.length} trail(s) cover ${input.snapshot.region}; none has an S3 data event selector for arn:${input.snapshot.partition}:s3:::${bucket}/ (read and write)`],
      fix: `Add an advanced event selector to a trail: eventCategory = Data, resources.type = AWS::S3::Object, resources.ARN StartsWith arn:${input.snapshot.partition}:s3:::${bucket}/.`,
    });
  }
  return problems;
}

function watchesFailedBuilds(a: MetricAlarm, project: string): boolean {
  const metrics = [
    { Namespace: a.Namespace, MetricName: a.MetricName, Dimensions: a.Dimensions },
    ...(a.Metrics ?? []).map((m) => m.MetricStat?.Metric ?? {}),
  ];
  return metrics.some(
    (m) =>
      m.Namespace === 'AWS/CodeBuild' &&
      m.MetricName === 'FailedBuilds' &&
      // No dimension: the account's failed builds, which include this project's.
      (m.Dimensions ?? []).every((d) => d.Name === 'ProjectName' && d.Value === project) ,
  );
}

function alarmCheck(input: AuditInput): Outcome {
  const alarms = input.snapshot.alarms;
  if (!alarms) return { skipped: 'no CloudWatch alarms were given (describe-alarms)' };
  const watching = alarms.filter((a) => watchesFailedBuilds(a, projectName(input)));
  const acting = watching.filter((a) => a.ActionsEnabled !== false && (a.AlarmActions?.length ?? 0) > 0);
  if (acting.length) return [];
  return [{
    message: 'Nobody is told when the project\'s builds fail (a failing build can be a denied call after a policy change, or an attack).',
    evidence: [watching.length ? `alarm(s) without enabled actions: ${watching.map((a) => a.AlarmName ?? '?').join(', ')}` : `${alarms.length} alarm(s) described; none on AWS/CodeBuild FailedBuilds for ProjectName=${projectName(input)}`],
    fix: `Create an alarm on AWS/CodeBuild FailedBuilds (Sum, dimension ProjectName=${projectName(input)}) >= 1 with an SNS action.`,
  }];
}

/** The visibility checks, in report order. */
export const VISIBILITY_CHECKS = layerChecks('visibility', [
  { id: 'VIS-BUILD-LOGS', title: 'Build logs go to CloudWatch Logs or S3', severity: 'high', sources: [DOCS.logs, securityHub('CodeBuild.4'), configRule('codebuild-project-logging-enabled'), controlTower('CT.CODEBUILD.PR.3'), prowler('codebuild_project_logging_enabled')], run: logsCheck },
  { id: 'VIS-TRAIL-MANAGEMENT', title: 'A logging trail records read and write management events in the project\'s region', severity: 'high', sources: [DOCS.trailManagement], run: given(describedTrails, trailManagementCheck) },
  { id: 'VIS-TRAIL-S3-DATA', title: 'A trail records S3 data events for the artifact, cache and log buckets', severity: 'medium', sources: [DOCS.trailSelectors], run: given(describedTrails, trailDataCheck) },
  { id: 'VIS-FAILED-BUILD-ALARM', title: 'A CloudWatch alarm with actions watches the project\'s failed builds', severity: 'low', sources: [DOCS.metrics], run: alarmCheck },
]);
