// A CodeBuild project, as BatchGetProjects returns it (SDK object) or as `aws codebuild batch-get-projects`
// prints it (JSON), -> the ProjectConfig subset that decides what the service role needs. Input is untrusted:
// each field is type-checked, and PLAINTEXT environment variable values are dropped (they can be secrets);
// only Parameter Store and Secrets Manager references, which are names, are kept.
import { InvalidInput } from '../errors.js';
import type { EnvVar, ProjectConfig } from '../model.js';

const PROJECT_ARN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b):codebuild:([a-z0-9-]+):(\d{12}):project\/(.+)$/;

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const strList = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : undefined);

/** Drops credentials embedded in a URL (https://user:token@host/...); other locations are kept as they are. */
export function withoutUserInfo(location: string | undefined): string | undefined {
  if (location === undefined) return undefined;
  return location.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, '$1');
}

function compact<T extends object>(o: T): T | undefined {
  const out = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  return Object.keys(out).length ? out : undefined;
}

function location(v: unknown): { type?: string; location?: string } | undefined {
  if (!isObj(v)) return undefined;
  return compact({ type: str(v.type), location: withoutUserInfo(str(v.location)) });
}

function artifacts(v: unknown): ProjectConfig['artifacts'] {
  if (!isObj(v)) return undefined;
  return compact({
    type: str(v.type),
    location: str(v.location),
    path: str(v.path),
    name: str(v.name),
    encryptionDisabled: typeof v.encryptionDisabled === 'boolean' ? v.encryptionDisabled : undefined,
  });
}

function envVars(v: unknown): EnvVar[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: EnvVar[] = [];
  for (const e of v) {
    if (!isObj(e) || !str(e.name)) continue;
    const type = str(e.type) ?? 'PLAINTEXT';
    // A PLAINTEXT value is the value itself; never carry it into outputs.
    const value = type === 'PLAINTEXT' ? '' : (str(e.value) ?? '');
    out.push({ name: e.name as string, value, type });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** The report group ARN of a report ARN (arn:...:report/<group>:<uuid> -> arn:...:report-group/<group>). */
export function reportGroupOf(reportArn: string): string | undefined {
  const m = /^(arn:[^:]+:codebuild:[^:]+:\d{12}):report\/([^:]+):[^:]+$/.exec(reportArn);
  return m ? `${m[1]}:report-group/${m[2]}` : undefined;
}

export function splitProjectArn(arn: string): { partition: string; region: string; account: string; name: string } | undefined {
  const m = PROJECT_ARN.exec(arn);
  return m ? { partition: m[1], region: m[2], account: m[3], name: m[4] } : undefined;
}

/** @param where names the input in messages, e.g. "project.json project 2". */
export function toProjectConfig(raw: unknown, where: string): ProjectConfig {
  if (!isObj(raw)) throw new InvalidInput(`${where} is not a JSON object; expected a CodeBuild project as batch-get-projects prints it`, { where });
  const name = str(raw.name);
  const arn = str(raw.arn);
  if (!name) throw new InvalidInput(`${where} has no "name"; expected a CodeBuild project as batch-get-projects prints it`, { where });
  const parts = arn ? splitProjectArn(arn) : undefined;
  if (!arn || !parts) {
    throw new InvalidInput(`${where} (${name}) has no valid "arn" (arn:aws:codebuild:<region>:<account>:project/<name>); use the unedited batch-get-projects output`, { where });
  }
  const env = isObj(raw.environment) ? raw.environment : undefined;
  const logs = isObj(raw.logsConfig) ? raw.logsConfig : undefined;
  const cw = logs && isObj(logs.cloudWatchLogs) ? logs.cloudWatchLogs : undefined;
  const s3 = logs && isObj(logs.s3Logs) ? logs.s3Logs : undefined;
  const vpc = isObj(raw.vpcConfig) ? raw.vpcConfig : undefined;
  const config: ProjectConfig = {
    name,
    arn,
    region: parts.region,
    account: parts.account,
    serviceRole: str(raw.serviceRole),
    source: location(raw.source),
    secondarySources: Array.isArray(raw.secondarySources) ? raw.secondarySources.map(location).filter((x) => x !== undefined) : undefined,
    artifacts: artifacts(raw.artifacts),
    secondaryArtifacts: Array.isArray(raw.secondaryArtifacts) ? raw.secondaryArtifacts.map(artifacts).filter((x) => x !== undefined) : undefined,
    cache: location(raw.cache),
    environment: env
      ? compact({
          image: str(env.image),
          type: str(env.type),
          imagePullCredentialsType: str(env.imagePullCredentialsType),
          environmentVariables: envVars(env.environmentVariables),
        })
      : undefined,
    logsConfig: logs
      ? compact({
          cloudWatchLogs: cw ? compact({ status: str(cw.status), groupName: str(cw.groupName), streamName: str(cw.streamName) }) : undefined,
          s3Logs: s3 ? compact({ status: str(s3.status), location: str(s3.location) }) : undefined,
        })
      : undefined,
    vpcConfig: vpc ? compact({ vpcId: str(vpc.vpcId), subnets: strList(vpc.subnets)?.sort(), securityGroupIds: strList(vpc.securityGroupIds)?.sort() }) : undefined,
    encryptionKey: str(raw.encryptionKey),
  };
  return compact(config) as ProjectConfig;
}

/** Adds the report groups that builds wrote to (projects do not list them; builds' reportArns do). */
export function withReportGroups(project: ProjectConfig, reportArns: string[]): ProjectConfig {
  const groups = new Set(project.reportGroupArns ?? []);
  for (const r of reportArns) {
    const g = reportGroupOf(r);
    if (g) groups.add(g);
  }
  return groups.size ? { ...project, reportGroupArns: [...groups].sort() } : project;
}
