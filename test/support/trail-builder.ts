// A small deterministic CloudTrail writer for fixtures and tests. It builds records shaped like real CloudTrail
// (field order, identities, data events, errors) and writes them in the S3 delivery layout, gzip'd with mtime 0.
// Nothing is random: every ID is a hash of the builder's seed and a counter, so a rerun writes the same bytes.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

export type Json = Record<string, unknown>;

export interface TrailEventSpec {
  time: string;
  identity: Json;
  source: string;
  name: string;
  region: string;
  request?: Json | null;
  response?: Json | null;
  additional?: Json;
  resources?: Json[];
  readOnly?: boolean;
  /** A data event (S3 object calls, Lambda Invoke): eventCategory Data, managementEvent false. */
  data?: boolean;
  error?: { code: string; message: string };
  userAgent?: string;
  sourceIp?: string;
  /** recipientAccountId; defaults to the identity's account. */
  account?: string;
  eventType?: 'AwsApiCall' | 'AwsServiceEvent';
  /** Minutes the event reaches its file late (lands in a later delivery than its own 5-minute slot). */
  lateMinutes?: number;
  sharedEventID?: boolean;
  /** Host name CloudTrail puts in tlsDetails; defaults to <service>.<region>.amazonaws.com. */
  host?: string;
}

export interface WrittenFile {
  /** Path relative to the output directory. */
  path: string;
  records: number;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const SLOT_MS = 5 * 60_000;

export function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The date format CloudTrail uses inside responseElements ("Mar 5, 2024, 12:51:07 AM"). */
export function responseDate(t: number): string {
  return new Date(t).toLocaleString('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit', hour12: true });
}

export function ms(time: string): number {
  return Date.parse(time);
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** YYYYMMDDTHHMMZ of the S3 file name (minute precision) or YYYYMMDDTHHMMSSZ for digests. */
function stamp(t: number, seconds = false): string {
  const d = new Date(t);
  const base = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}`;
  return `${base}${seconds ? pad(d.getUTCSeconds()) : ''}Z`;
}

/** Deterministic identifiers: each call hashes (seed, label, counter). */
export class Ids {
  private counter = 0;
  constructor(private readonly seed: string) {}

  bytes(label: string): Buffer {
    this.counter += 1;
    return createHash('sha256').update(`${this.seed}\u0000${label}\u0000${this.counter}`).digest();
  }

  uuid(label = 'uuid'): string {
    const b = this.bytes(label);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = b.subarray(0, 16).toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  }

  private pick(label: string, alphabet: string, n: number): string {
    let out = '';
    while (out.length < n) for (const byte of this.bytes(label)) if (out.length < n) out += alphabet[byte % alphabet.length];
    return out;
  }

  /** A UUID that depends on the label only (the same repository always has the same ID). */
  stableUuid(label: string): string {
    const h = createHash('sha256').update(`${this.seed}\u0000stable\u0000${label}`).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  hex(n: number, label = 'hex'): string {
    return this.pick(label, '0123456789ABCDEF', n);
  }

  base32(n: number, label = 'b32'): string {
    return this.pick(label, BASE32, n);
  }

  alnum(n: number, label = 'alnum'): string {
    return this.pick(label, ALNUM, n);
  }

  /** An integer in [lo, hi]. */
  int(lo: number, hi: number, label = 'int'): number {
    return lo + (this.bytes(label).readUInt32BE(0) % (hi - lo + 1));
  }

  ip(label = 'ip'): string {
    const b = this.bytes(label);
    const first = [3, 18, 34, 44, 52, 54][b[0] % 6];
    return `${first}.${b[1]}.${b[2]}.${(b[3] % 254) + 1}`;
  }
}

export const UA = {
  service: (svc: string) => svc,
  codebuildAgent:
    'aws-internal/3 aws-sdk-java/1.12.648 Linux/5.10.210-178.855.amzn2int.x86_64 OpenJDK_64-Bit_Server_VM/25.402-b08 java/1.8.0_402 vendor/Oracle_Corporation cfg/retry-mode/standard',
  cli: (command: string) =>
    `aws-cli/2.15.30 Python/3.11.8 Linux/5.10.210-201.855.amzn2.x86_64 exec-env/AWS_ECS_EC2 exe/x86_64.amzn.2 prompt/off command/${command}`,
  docker:
    'docker/24.0.5 go/go1.20.12 git-commit/a61e2b4 kernel/5.10.210-201.855.amzn2.x86_64 os/linux arch/amd64 UpstreamClient(Docker-Client/24.0.5 \\(linux\\))',
  boto: 'Boto3/1.34.60 md/Botocore#1.34.60 ua/2.0 os/linux#5.15.0-1055-aws md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.60',
  console:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36',
  terraform:
    'APN/1.0 HashiCorp/1.0 Terraform/1.7.4 (+https://www.terraform.io) terraform-provider-aws/5.40.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.25.2 os/linux lang/go#1.21.8',
  git: 'git/2.40.1',
} as const;

export interface RoleSpec {
  account: string;
  name: string;
  /** IAM path, e.g. "/service-role/"; "/" by default. */
  path?: string;
  /** The role ID (AROA...). */
  id: string;
}

export function roleArn(role: RoleSpec, partition = 'aws'): string {
  return `arn:${partition}:iam::${role.account}:role${role.path ?? '/'}${role.name}`;
}

interface Pending {
  record: Json;
  time: number;
  arrival: number;
  order: number;
  account: string;
  region: string;
}

export class TrailBuilder {
  readonly ids: Ids;
  private readonly events: Pending[] = [];

  constructor(
    seed: string,
    private readonly trailName = 'management-events',
    private readonly homeRegion = 'us-east-1',
  ) {
    this.ids = new Ids(seed);
  }

  /** An assumed-role session; the STS ARN drops the role's path. */
  assumedRole(role: RoleSpec, session: string, created: string): Json {
    return {
      type: 'AssumedRole',
      principalId: `${role.id}:${session}`,
      arn: `arn:aws:sts::${role.account}:assumed-role/${role.name}/${session}`,
      accountId: role.account,
      accessKeyId: `ASIA${this.ids.base32(16, 'akid')}`,
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: role.id, arn: roleArn(role), accountId: role.account, userName: role.name },
        webIdFederationData: {},
        attributes: { creationDate: created, mfaAuthenticated: 'false' },
      },
    };
  }

  iamUser(account: string, name: string, userId: string): Json {
    return {
      type: 'IAMUser',
      principalId: userId,
      arn: `arn:aws:iam::${account}:user/${name}`,
      accountId: account,
      accessKeyId: `AKIA${this.ids.base32(16, 'akid')}`,
      userName: name,
    };
  }

  awsService(invokedBy: string): Json {
    return { type: 'AWSService', invokedBy };
  }

  /** The same identity as seen on a call a service made with it (forward access session). */
  static via(identity: Json, service: string): Json {
    return { ...identity, invokedBy: service };
  }

  /** Adds one record (fields in CloudTrail's own order) and returns it. */
  add(spec: TrailEventSpec): Json {
    const id = spec.identity;
    const account = spec.account ?? (typeof id.accountId === 'string' ? id.accountId : undefined);
    if (!account) throw new Error(`event ${spec.name} needs an account: the identity has none`);
    const invokedBy = typeof id.invokedBy === 'string' ? id.invokedBy : undefined;
    const r: Json = {
      eventVersion: spec.data ? '1.10' : '1.09',
      userIdentity: id,
      eventTime: spec.time,
      eventSource: spec.source,
      eventName: spec.name,
      awsRegion: spec.region,
      sourceIPAddress: spec.sourceIp ?? invokedBy ?? this.ids.ip(),
      userAgent: spec.userAgent ?? invokedBy ?? UA.boto,
    };
    if (spec.error) {
      r.errorCode = spec.error.code;
      r.errorMessage = spec.error.message;
    }
    r.requestParameters = spec.request ?? null;
    r.responseElements = spec.error ? null : (spec.response ?? null);
    if (spec.additional) r.additionalEventData = spec.additional;
    r.requestID = spec.data ? this.ids.hex(16, 'req') : this.ids.uuid('req');
    r.eventID = this.ids.uuid('event');
    if (spec.readOnly !== undefined) r.readOnly = spec.readOnly;
    if (spec.resources) r.resources = spec.resources;
    const type = spec.eventType ?? 'AwsApiCall';
    r.eventType = type;
    r.managementEvent = !spec.data;
    r.recipientAccountId = account;
    if (spec.sharedEventID) r.sharedEventID = this.ids.uuid('shared');
    r.eventCategory = spec.data ? 'Data' : 'Management';
    if (type === 'AwsApiCall' && !invokedBy) {
      const service = spec.source.replace(/\.amazonaws\.com$/, '');
      r.tlsDetails = {
        tlsVersion: 'TLSv1.3',
        cipherSuite: 'TLS_AES_128_GCM_SHA256',
        clientProvidedHostHeader: spec.host ?? `${service}.${spec.region}.amazonaws.com`,
      };
    }
    const time = ms(spec.time);
    if (Number.isNaN(time)) throw new Error(`event ${spec.name} has a bad time: ${spec.time}`);
    this.events.push({
      record: r,
      time,
      arrival: time + (spec.lateMinutes ?? 0) * 60_000,
      order: this.events.length,
      account,
      region: spec.region,
    });
    return r;
  }

  get size(): number {
    return this.events.length;
  }

  records(): Json[] {
    return this.events.map((e) => e.record);
  }

  /**
   * Writes every record under `outDir` in the S3 layout: one file per account, region and 5-minute slot of
   * arrival, named for its delivery time (1-5 minutes after the newest event in it), plus one digest file per
   * account and region. Returns the files written, sorted.
   */
  write(outDir: string): WrittenFile[] {
    const groups = new Map<string, Pending[]>();
    for (const e of this.events) {
      const key = `${e.account}\u0000${e.region}\u0000${Math.floor(e.arrival / SLOT_MS)}`;
      const list = groups.get(key) ?? [];
      list.push(e);
      groups.set(key, list);
    }
    const written: WrittenFile[] = [];
    const digests = new Map<string, Array<{ key: string; gz: Buffer; oldest: number; newest: number; delivered: number }>>();
    for (const key of [...groups.keys()].sort()) {
      const list = (groups.get(key) as Pending[]).sort((a, b) => a.time - b.time || a.order - b.order);
      const { account, region } = list[0];
      const newest = Math.max(...list.map((e) => e.arrival));
      const delivered = newest + this.ids.int(60, 300, 'delay') * 1000;
      const d = new Date(delivered);
      const rel = join(
        'AWSLogs',
        account,
        'CloudTrail',
        region,
        String(d.getUTCFullYear()),
        pad(d.getUTCMonth() + 1),
        pad(d.getUTCDate()),
        `${account}_CloudTrail_${region}_${stamp(delivered)}_${this.ids.alnum(16, 'file')}.json.gz`,
      );
      const gz = gzipSync(Buffer.from(JSON.stringify({ Records: list.map((e) => e.record) })), { level: 6 });
      mkdirSync(dirname(join(outDir, rel)), { recursive: true });
      writeFileSync(join(outDir, rel), gz);
      written.push({ path: rel, records: list.length });
      // One digest per account, region and hour of delivery, as CloudTrail writes them.
      const dkey = `${account}\u0000${region}\u0000${Math.floor(delivered / 3_600_000)}`;
      const entry = { key: rel, gz, oldest: Math.min(...list.map((e) => e.time)), newest: Math.max(...list.map((e) => e.time)), delivered };
      digests.set(dkey, [...(digests.get(dkey) ?? []), entry]);
    }
    for (const dkey of [...digests.keys()].sort()) {
      const [account, region] = dkey.split('\u0000');
      const files = digests.get(dkey) ?? [];
      const end = (Number(dkey.split('\u0000')[2]) + 1) * 3_600_000;
      const d = new Date(end);
      const rel = join(
        'AWSLogs',
        account,
        'CloudTrail-Digest',
        region,
        String(d.getUTCFullYear()),
        pad(d.getUTCMonth() + 1),
        pad(d.getUTCDate()),
        `${account}_CloudTrail-Digest_${region}_${this.trailName}_${this.homeRegion}_${stamp(end, true)}.json.gz`,
      );
      const body = {
        awsAccountId: account,
        digestStartTime: iso(end - 3_600_000),
        digestEndTime: iso(end),
        digestS3Bucket: `aws-cloudtrail-logs-${account}-${this.trailName}`,
        digestS3Object: rel.split('\\').join('/'),
        digestPublicKeyFingerprint: this.ids.hex(32, 'fp').toLowerCase(),
        digestSignatureAlgorithm: 'SHA256withRSA',
        newestEventTime: iso(Math.max(...files.map((f) => f.newest))),
        oldestEventTime: iso(Math.min(...files.map((f) => f.oldest))),
        previousDigestS3Bucket: null,
        previousDigestS3Object: null,
        previousDigestHashValue: null,
        previousDigestHashAlgorithm: null,
        previousDigestSignature: null,
        logFiles: files.map((f) => ({
          s3Bucket: `aws-cloudtrail-logs-${account}-${this.trailName}`,
          s3Object: f.key.split('\\').join('/'),
          hashValue: createHash('sha256').update(f.gz).digest('hex'),
          hashAlgorithm: 'SHA-256',
          newestEventTime: iso(f.newest),
          oldestEventTime: iso(f.oldest),
        })),
      };
      mkdirSync(dirname(join(outDir, rel)), { recursive: true });
      writeFileSync(join(outDir, rel), gzipSync(Buffer.from(JSON.stringify(body)), { level: 6 }));
      written.push({ path: rel, records: 0 });
    }
    return written.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
}
