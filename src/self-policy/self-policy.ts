// The least-privilege policy codebuild-iam itself needs, per source: exactly the API calls each source makes,
// on the narrowest resources the user can name (a project, a workgroup, a table, a bucket prefix, an event
// data store, a role), and "*" only where the action has no resource type (cloudtrail:LookupEvents).
import { InvalidInput, opt, say, type OptionName } from '../errors.js';
import type { PolicyDocument, PolicyStatement } from '../model.js';

export type SelfPolicySource = 'files' | 'lookup' | 'athena' | 'lake';

export interface SelfPolicyOptions {
  source: SelfPolicySource;
  /** Also what `diff --role` reads (the live role's policies). */
  diff?: boolean;
  partition?: string;
  region?: string;
  account?: string;
  /** lookup: the CodeBuild project read with --project. */
  project?: string;
  /** diff: the role read with --role (name, path/name, or ARN). */
  role?: string;
  athenaWorkgroup?: string;
  /** athena: `db.table` (or `catalog.db.table`). */
  athenaTable?: string;
  /** athena: the trail bucket, `bucket` or `s3://bucket/prefix/`. */
  trailBucket?: string;
  /** athena: the query result location, `s3://bucket/prefix/`. */
  athenaOutput?: string;
  /** lake: event data store ID or ARN. */
  eventDataStore?: string;
}

/** Every action each part of the tool calls, for docs and tests. */
export const SELF_ACTIONS = {
  lookup: ['cloudtrail:LookupEvents', 'codebuild:BatchGetBuilds', 'codebuild:BatchGetProjects', 'codebuild:ListBuildsForProject'],
  athena: [
    'athena:GetQueryExecution',
    'athena:GetQueryResults',
    'athena:GetTableMetadata',
    'athena:StartQueryExecution',
    'athena:StopQueryExecution',
    'glue:GetDatabase',
    'glue:GetPartitions',
    'glue:GetTable',
    's3:AbortMultipartUpload',
    's3:GetBucketLocation',
    's3:GetObject',
    's3:ListBucket',
    's3:PutObject',
  ],
  lake: ['cloudtrail:CancelQuery', 'cloudtrail:DescribeQuery', 'cloudtrail:GetQueryResults', 'cloudtrail:StartQuery'],
  diff: ['iam:GetPolicy', 'iam:GetPolicyVersion', 'iam:GetRole', 'iam:GetRolePolicy', 'iam:ListAttachedRolePolicies', 'iam:ListRolePolicies'],
  // `audit --project` (src/audit/collect-live.ts); its policy is src/audit/self-policy.ts.
  audit: [
    'cloudtrail:DescribeTrails',
    'cloudtrail:GetEventSelectors',
    'cloudtrail:GetTrailStatus',
    'cloudwatch:DescribeAlarmsForMetric',
    'codebuild:BatchGetProjects',
    'codebuild:ListProjects',
    'ec2:DescribeRouteTables',
    'ec2:DescribeSecurityGroups',
    'ec2:DescribeSubnets',
    'ec2:DescribeVpcEndpoints',
    'ecr:DescribeRepositories',
    'ecr:GetRegistryScanningConfiguration',
    'iam:GetPolicy',
    'iam:GetPolicyVersion',
    'iam:GetRole',
    'iam:GetRolePolicy',
    'iam:ListAttachedRolePolicies',
    'iam:ListRolePolicies',
  ],
} as const;

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

function s3Location(option: OptionName, value: string): { bucket: string; prefix: string } {
  const m = /^(?:s3:\/\/)?([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(value.trim());
  if (!m) throw new InvalidInput(say`${opt(option)} ${JSON.stringify(value)} is not an S3 bucket or s3://bucket/prefix/ location`, { option, value });
  const prefix = (m[2] ?? '').replace(/\*+$/, '');
  return { bucket: m[1], prefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/` };
}

function roleArns(partition: string, account: string, role: string | undefined): string[] {
  if (!role) return [`arn:${partition}:iam::${account}:role/*`];
  if (role.startsWith('arn:')) {
    if (!/^arn:[\w-]+:iam::\d{12}:role\/[\x21-\x7e]+$/.test(role)) throw new InvalidInput(say`${opt('role')} ${JSON.stringify(role)} is not an IAM role ARN`, { option: 'role', value: role });
    return [role];
  }
  if (!/^\/?([\x21-\x7e]+\/)?[\w+=,.@-]{1,64}$/.test(role)) throw new InvalidInput(say`${opt('role')} ${JSON.stringify(role)} is not a role name or path/name`, { option: 'role', value: role });
  // A bare name may sit under any path (service-role/ is usual for CodeBuild): "*" in an ARN spans slashes.
  if (!role.includes('/')) return [`arn:${partition}:iam::${account}:role/${role}`, `arn:${partition}:iam::${account}:role/*/${role}`];
  return [`arn:${partition}:iam::${account}:role/${role.replace(/^\//, '')}`];
}

function check(o: SelfPolicyOptions): { partition: string; region: string; account: string } {
  const partition = o.partition ?? 'aws';
  if (!/^aws(-[a-z]+)*$/.test(partition)) throw new InvalidInput(say`${opt('partition')} ${JSON.stringify(partition)} is not an AWS partition (aws, aws-cn, aws-us-gov)`, { option: 'partition', value: partition });
  const region = o.region ?? '*';
  if (region !== '*' && !REGION.test(region)) throw new InvalidInput(say`${opt('region')} ${JSON.stringify(region)} is not an AWS region`, { option: 'region', value: region });
  const account = o.account ?? '*';
  if (account !== '*' && !/^\d{12}$/.test(account)) throw new InvalidInput(say`${opt('account')} ${JSON.stringify(account)} is not a 12-digit account ID`, { option: 'account', value: account });
  return { partition, region, account };
}

/** The tool's own policy for one source, or undefined when it needs no AWS permission (files without diff). */
export function selfPolicy(o: SelfPolicyOptions): PolicyDocument | undefined {
  const { partition, region, account } = check(o);
  const st: PolicyStatement[] = [];
  const arn = (service: string, resource: string, r = region): string => `arn:${partition}:${service}:${r}:${account}:${resource}`;
  if (o.source === 'lookup') {
    // LookupEvents has no resource type: "*" is the only resource it can be granted on.
    st.push({ Sid: 'ReadEventHistory', Effect: 'Allow', Action: ['cloudtrail:LookupEvents'], Resource: '*' });
    st.push({
      Sid: 'ReadCodeBuildProjectAndBuilds',
      Effect: 'Allow',
      Action: ['codebuild:BatchGetBuilds', 'codebuild:BatchGetProjects', 'codebuild:ListBuildsForProject'],
      Resource: arn('codebuild', `project/${o.project ?? '*'}`),
    });
  }
  if (o.source === 'athena') {
    const wg = o.athenaWorkgroup ?? 'primary';
    const parts = (o.athenaTable ?? '*.*').split('.');
    if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) throw new InvalidInput(say`${opt('athenaTable')} ${JSON.stringify(o.athenaTable)} is not db.table`, { option: 'athenaTable', value: o.athenaTable });
    const [catalog, db, table] = parts.length === 3 ? parts : ['AwsDataCatalog', ...parts];
    st.push({
      Sid: 'RunAthenaQueries',
      Effect: 'Allow',
      Action: ['athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StartQueryExecution', 'athena:StopQueryExecution'],
      Resource: arn('athena', `workgroup/${wg}`),
    });
    st.push({ Sid: 'ReadAthenaTableMetadata', Effect: 'Allow', Action: ['athena:GetTableMetadata'], Resource: arn('athena', `datacatalog/${catalog}`) });
    // Glue checks the catalog and the database as well as the table; GetDatabase takes no table resource.
    st.push({ Sid: 'ReadTrailDatabase', Effect: 'Allow', Action: ['glue:GetDatabase'], Resource: [arn('glue', 'catalog'), arn('glue', `database/${db}`)] });
    st.push({
      Sid: 'ReadTrailTable',
      Effect: 'Allow',
      Action: ['glue:GetPartitions', 'glue:GetTable'],
      Resource: [arn('glue', 'catalog'), arn('glue', `database/${db}`), arn('glue', `table/${db}/${table}`)],
    });
    const trail = o.trailBucket ? s3Location('trailBucket', o.trailBucket) : { bucket: '*', prefix: '' };
    const out = o.athenaOutput ? s3Location('athenaOutput', o.athenaOutput) : { bucket: '*', prefix: '' };
    st.push({ Sid: 'ReadTrailLogs', Effect: 'Allow', Action: ['s3:GetObject'], Resource: `arn:${partition}:s3:::${trail.bucket}/${trail.prefix}*` });
    st.push({
      Sid: 'WriteAthenaResults',
      Effect: 'Allow',
      Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
      Resource: `arn:${partition}:s3:::${out.bucket}/${out.prefix}*`,
    });
    st.push({
      Sid: 'ListTrailAndResultBuckets',
      Effect: 'Allow',
      Action: ['s3:GetBucketLocation', 's3:ListBucket'],
      Resource: [...new Set([`arn:${partition}:s3:::${trail.bucket}`, `arn:${partition}:s3:::${out.bucket}`])].sort(),
    });
  }
  if (o.source === 'lake') {
    const store = o.eventDataStore;
    if (store?.startsWith('arn:') && !/^arn:[\w-]+:cloudtrail:[a-z0-9-]+:\d{12}:eventdatastore\/[\w-]+$/.test(store)) {
      throw new InvalidInput(say`${opt('eventDataStore')} ${JSON.stringify(store)} is not an event data store ARN or ID`, { option: 'eventDataStore', value: store });
    }
    st.push({
      Sid: 'QueryCloudTrailLake',
      Effect: 'Allow',
      Action: ['cloudtrail:CancelQuery', 'cloudtrail:DescribeQuery', 'cloudtrail:GetQueryResults', 'cloudtrail:StartQuery'],
      Resource: store?.startsWith('arn:') ? store : arn('cloudtrail', `eventdatastore/${store ?? '*'}`),
    });
  }
  if (o.diff) {
    st.push({
      Sid: 'ReadLiveRole',
      Effect: 'Allow',
      Action: ['iam:GetRole', 'iam:GetRolePolicy', 'iam:ListAttachedRolePolicies', 'iam:ListRolePolicies'],
      Resource: roleArns(partition, account, o.role),
    });
    // Attached policies are the account's own or AWS managed ones (account "aws").
    const policies = account === '*' ? [`arn:${partition}:iam::*:policy/*`] : [`arn:${partition}:iam::${account}:policy/*`, `arn:${partition}:iam::aws:policy/*`];
    st.push({ Sid: 'ReadAttachedPolicies', Effect: 'Allow', Action: ['iam:GetPolicy', 'iam:GetPolicyVersion'], Resource: policies.length === 1 ? policies[0] : policies });
  }
  return st.length ? { Version: '2012-10-17', Statement: st } : undefined;
}
