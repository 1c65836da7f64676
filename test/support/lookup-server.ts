// A CloudTrail event history and a CodeBuild project store behind test/support/aws-endpoint.ts, answering
// LookupEvents, BatchGetProjects, ListBuildsForProject and BatchGetBuilds in the recorded shapes of the real
// APIs: newest first, 50 events a page, a NextToken that is only valid with the parameters it came from.
import type { EndpointReply, RecordedRequest } from './aws-endpoint.js';
import { jsonError } from './aws-endpoint.js';

export interface StoredEvent {
  region: string;
  eventId: string;
  eventName: string;
  eventSource: string;
  timeMs: number;
  username: string;
  accessKeyId?: string;
  /** What the ResourceName attribute matches (the record's resources[] ARNs). */
  resourceNames?: string[];
  /** The CloudTrailEvent string as served (may be deliberately malformed). */
  cloudTrailEvent: string;
}

export interface RecordOptions {
  account?: string;
  role?: string;
  rolePath?: string;
  session: string;
  eventName: string;
  eventSource: string;
  timeMs: number;
  region: string;
  eventId: string;
  requestParameters?: Record<string, unknown> | null;
}

/** A CloudTrail record of an assumed-role session, as CloudTrail writes it. */
export function assumedRoleRecord(o: RecordOptions): Record<string, unknown> {
  const account = o.account ?? '123456789012';
  const role = o.role ?? 'codebuild-demo-service-role';
  const path = o.rolePath ?? '/service-role/';
  return {
    eventVersion: '1.08',
    userIdentity: {
      type: 'AssumedRole',
      principalId: `AROAEXAMPLE:${o.session}`,
      arn: `arn:aws:sts::${account}:assumed-role/${role}/${o.session}`,
      accountId: account,
      accessKeyId: 'ASIAEXAMPLE',
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLE', arn: `arn:aws:iam::${account}:role${path}${role}`, accountId: account, userName: role },
        attributes: { creationDate: new Date(o.timeMs - 60_000).toISOString(), mfaAuthenticated: 'false' },
      },
    },
    eventTime: new Date(o.timeMs).toISOString().replace('.000Z', 'Z'),
    eventSource: o.eventSource,
    eventName: o.eventName,
    awsRegion: o.region,
    sourceIPAddress: '203.0.113.10',
    userAgent: 'aws-cli/2.15.0',
    requestParameters: o.requestParameters ?? null,
    responseElements: null,
    eventID: o.eventId,
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: account,
    eventCategory: 'Management',
  };
}

export function storedFromRecord(record: Record<string, unknown>, username: string): StoredEvent {
  return {
    region: String(record.awsRegion),
    eventId: String(record.eventID),
    eventName: String(record.eventName),
    eventSource: String(record.eventSource),
    timeMs: Date.parse(String(record.eventTime)),
    username,
    cloudTrailEvent: JSON.stringify(record),
  };
}

export interface LookupServerOptions {
  /** Events history per region (the region is the SigV4 scope of the request). */
  events: StoredEvent[];
  /** Return a reply (e.g. a ThrottlingException) instead of answering; called for every LookupEvents. */
  intercept?: (req: RecordedRequest, nthInRegion: number) => EndpointReply | undefined;
  codebuild?: FakeCodeBuild;
}

export interface FakeProject {
  name: string;
  arn: string;
  serviceRole: string;
  [k: string]: unknown;
}

export interface FakeBuild {
  id: string;
  arn?: string;
  projectName: string;
  startTime?: number;
  endTime?: number;
  buildStatus: string;
  serviceRole?: string;
  reportArns?: string[];
}

export interface FakeCodeBuild {
  projects: FakeProject[];
  /** Newest first, as ListBuildsForProject DESCENDING returns them. */
  builds: FakeBuild[];
  listPageSize?: number;
  /** Called on every BatchGetBuilds: lets a test finish a running build. */
  onBatchGetBuilds?: (ids: string[]) => void;
}

function paramsKey(body: Record<string, unknown>): string {
  const { NextToken: _t, ...rest } = body;
  return JSON.stringify(rest, Object.keys(rest).sort());
}

function toSeconds(v: unknown): number | undefined {
  return typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) / 1000 : undefined;
}

function lookupEvents(o: LookupServerOptions, req: RecordedRequest): EndpointReply {
  const body = req.body;
  const attrs = (body.LookupAttributes as Array<{ AttributeKey: string; AttributeValue: string }> | undefined) ?? [];
  if (attrs.length > 1) return jsonError(400, 'InvalidLookupAttributesException', 'only one lookup attribute');
  const max = Math.min(50, Number(body.MaxResults ?? 50));
  const start = toSeconds(body.StartTime);
  const end = toSeconds(body.EndTime);
  const attr = attrs[0];
  const matches = o.events
    .filter((e) => e.region === req.region)
    .filter((e) => (start === undefined || e.timeMs >= start * 1000) && (end === undefined || e.timeMs <= end * 1000))
    .filter((e) => {
      if (!attr) return true;
      if (attr.AttributeKey === 'Username') return e.username === attr.AttributeValue;
      if (attr.AttributeKey === 'EventName') return e.eventName === attr.AttributeValue;
      if (attr.AttributeKey === 'EventSource') return e.eventSource === attr.AttributeValue;
      if (attr.AttributeKey === 'AccessKeyId') return e.accessKeyId === attr.AttributeValue;
      if (attr.AttributeKey === 'EventId') return e.eventId === attr.AttributeValue;
      if (attr.AttributeKey === 'ResourceName') return (e.resourceNames ?? []).includes(attr.AttributeValue);
      return false;
    })
    .sort((a, b) => b.timeMs - a.timeMs || a.eventId.localeCompare(b.eventId));
  let offset = 0;
  if (body.NextToken !== undefined) {
    const token = JSON.parse(Buffer.from(String(body.NextToken), 'base64').toString('utf8')) as { offset: number; key: string };
    if (token.key !== paramsKey(body)) return jsonError(400, 'InvalidNextTokenException', 'NextToken sent with different parameters');
    offset = token.offset;
  }
  const page = matches.slice(offset, offset + max);
  const more = offset + max < matches.length;
  return {
    body: {
      Events: page.map((e) => ({
        EventId: e.eventId,
        EventName: e.eventName,
        ReadOnly: 'true',
        EventTime: e.timeMs / 1000,
        EventSource: e.eventSource,
        Username: e.username,
        Resources: [],
        CloudTrailEvent: e.cloudTrailEvent,
      })),
      ...(more ? { NextToken: Buffer.from(JSON.stringify({ offset: offset + max, key: paramsKey(body) })).toString('base64') } : {}),
    },
  };
}

function buildJson(b: FakeBuild): Record<string, unknown> {
  return { ...b, buildComplete: b.buildStatus !== 'IN_PROGRESS' };
}

function codebuild(cb: FakeCodeBuild, req: RecordedRequest): EndpointReply {
  const body = req.body;
  if (req.operation === 'BatchGetProjects') {
    const names = body.names as string[];
    const found = cb.projects.filter((p) => names.includes(p.name) || names.includes(p.arn));
    return { body: { projects: found, projectsNotFound: names.filter((n) => !found.some((p) => p.name === n || p.arn === n)) } };
  }
  if (req.operation === 'ListBuildsForProject') {
    const ids = cb.builds.filter((b) => b.projectName === body.projectName).map((b) => b.id);
    if (body.sortOrder === 'ASCENDING') ids.reverse();
    const size = cb.listPageSize ?? 100;
    const offset = body.nextToken ? Number(body.nextToken) : 0;
    const more = offset + size < ids.length;
    return { body: { ids: ids.slice(offset, offset + size), ...(more ? { nextToken: String(offset + size) } : {}) } };
  }
  if (req.operation === 'BatchGetBuilds') {
    const ids = body.ids as string[];
    if (ids.length > 100) return jsonError(400, 'InvalidInputException', 'at most 100 ids');
    cb.onBatchGetBuilds?.(ids);
    const found = ids.map((id) => cb.builds.find((b) => b.id === id)).filter((b): b is FakeBuild => b !== undefined);
    return { body: { builds: found.map(buildJson), buildsNotFound: ids.filter((id) => !found.some((b) => b.id === id)) } };
  }
  return jsonError(400, 'UnknownOperationException', req.operation);
}

/** The endpoint handler: CloudTrail's LookupEvents and CodeBuild's reads. */
export function lookupHandler(o: LookupServerOptions): (req: RecordedRequest) => EndpointReply {
  const perRegion = new Map<string, number>();
  return (req) => {
    if (req.service.startsWith('CodeBuild')) {
      if (!o.codebuild) return jsonError(400, 'UnknownOperationException', req.operation);
      return codebuild(o.codebuild, req);
    }
    if (req.operation !== 'LookupEvents') return jsonError(400, 'UnknownOperationException', req.operation);
    const n = (perRegion.get(req.region) ?? 0) + 1;
    perRegion.set(req.region, n);
    return o.intercept?.(req, n) ?? lookupEvents(o, req);
  };
}

/** A clock whose sleeps advance virtual time at once (and yield, so other queries run). */
export class FakeClock {
  sleeps: number[] = [];
  constructor(public t: number) {}
  now = (): number => this.t;
  sleep = async (ms: number, signal?: AbortSignal): Promise<void> => {
    if (signal?.aborted) throw signal.reason;
    this.sleeps.push(ms);
    this.t += Math.max(0, ms);
    await new Promise((r) => setImmediate(r));
  };
}
