// The CREATE EXTERNAL TABLE statement for a trail bucket, with partition projection on account, region and
// date so that queries prune to the days and regions they need without any ALTER TABLE ADD PARTITION. The
// tool only prints it: creating the table is the user's step.
import { InvalidInput, opt, say, valueFields, type MessagePart } from '../../errors.js';
import { validAccount, validRegion } from '../sql/escape.js';

export interface DdlOptions {
  bucket: string;
  /** Key prefix before AWSLogs/ (the trail's S3 key prefix), if any. */
  prefix?: string;
  /** Organization ID for an organization trail (AWSLogs/<org-id>/<account>/...). */
  orgId?: string;
  /** Accounts for the enum projection; empty with injectAccount. */
  accounts: string[];
  regions: string[];
  /** Project the account as `injected` (any account; every query must name it) instead of an enum. */
  injectAccount?: boolean;
  /** Default cloudtrail_logs. */
  table?: string;
  /** Default default. */
  database?: string;
  /** First day of the date projection, yyyy/MM/dd (default 2013/11/01, CloudTrail's launch). */
  firstDay?: string;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const PREFIX = /^[A-Za-z0-9!_.*()/-]{1,900}$/;
const ORG = /^o-[a-z0-9]{10,32}$/;
const NAME = /^[a-z0-9_]{1,128}$/;

function check(name: MessagePart, value: string, re: RegExp, what: string): string {
  if (!re.test(value)) throw new InvalidInput(say`${name} ${JSON.stringify(value)} is not ${what}`, valueFields(name, value));
  return value;
}

/** The S3 prefix under which the per-account folders lie: s3://bucket/[prefix/]AWSLogs/[org/]. */
export function logsRoot(o: Pick<DdlOptions, 'bucket' | 'prefix' | 'orgId'>): string {
  const prefix = o.prefix ? `${o.prefix.replace(/^\/+|\/+$/g, '')}/` : '';
  return `s3://${o.bucket}/${prefix}AWSLogs/${o.orgId ? `${o.orgId}/` : ''}`;
}

export function buildAthenaDdl(o: DdlOptions): string {
  check(opt('bucket'), o.bucket, BUCKET, 'an S3 bucket name (lower-case letters, digits, dots and hyphens, 3-63 characters)');
  if (o.bucket.includes('..')) throw new InvalidInput(say`${opt('bucket')} ${JSON.stringify(o.bucket)} is not an S3 bucket name (no ".." allowed)`, { option: 'bucket', value: o.bucket });
  if (o.prefix !== undefined && o.prefix.replace(/^\/+|\/+$/g, '') !== '') {
    check(opt('prefix'), o.prefix, PREFIX, "an S3 key prefix of letters, digits and !_.*()/- (no quotes or '$')");
  }
  if (o.orgId !== undefined) check(opt('orgId'), o.orgId, ORG, 'an AWS Organizations ID (o- then 10 to 32 lower-case letters or digits)');
  if (o.accounts.length === 0 && !o.injectAccount) {
    throw new InvalidInput(say`athena-ddl needs at least one ${opt('account')} <12-digit id> (repeatable), or ${opt('injectAccount')} for any account`, { option: 'account' });
  }
  if (o.regions.length === 0) throw new InvalidInput(say`athena-ddl needs at least one ${opt('region')} <region> (repeatable)`, { option: 'region' });
  const accounts = [...new Set(o.accounts.map((a) => validAccount(opt('account'), a)))].sort();
  const regions = [...new Set(o.regions.map((r) => validRegion(opt('region'), r)))].sort();
  const table = check(opt('table'), o.table ?? 'cloudtrail_logs', NAME, 'a table name (lower-case letters, digits and _)');
  const database = check(opt('database'), o.database ?? 'default', NAME, 'a database name (lower-case letters, digits and _)');
  const firstDay = check('first day', o.firstDay ?? '2013/11/01', /^\d{4}\/\d{2}\/\d{2}$/, 'a yyyy/MM/dd date');
  const root = logsRoot(o);

  const props: Array<[string, string]> = [
    ['projection.enabled', 'true'],
    ...((o.injectAccount ? [['projection.account.type', 'injected']] : [['projection.account.type', 'enum'], ['projection.account.values', accounts.join(',')]]) as Array<
      [string, string]
    >),
    ['projection.region.type', 'enum'],
    ['projection.region.values', regions.join(',')],
    ['projection.timestamp.type', 'date'],
    ['projection.timestamp.format', 'yyyy/MM/dd'],
    ['projection.timestamp.interval', '1'],
    ['projection.timestamp.interval.unit', 'DAYS'],
    ['projection.timestamp.range', `${firstDay},NOW`],
    ['storage.location.template', `${root}\${account}/CloudTrail/\${region}/\${timestamp}`],
  ];
  return `CREATE EXTERNAL TABLE IF NOT EXISTS \`${database}\`.\`${table}\` (
  eventversion STRING,
  useridentity STRUCT<
    type: STRING,
    principalid: STRING,
    arn: STRING,
    accountid: STRING,
    invokedby: STRING,
    accesskeyid: STRING,
    username: STRING,
    sessioncontext: STRUCT<
      attributes: STRUCT<mfaauthenticated: STRING, creationdate: STRING>,
      sessionissuer: STRUCT<type: STRING, principalid: STRING, arn: STRING, accountid: STRING, username: STRING>,
      ec2roledelivery: STRING,
      webidfederationdata: MAP<STRING, STRING>>>,
  eventtime STRING,
  eventsource STRING,
  eventname STRING,
  awsregion STRING,
  sourceipaddress STRING,
  useragent STRING,
  errorcode STRING,
  errormessage STRING,
  requestparameters STRING,
  responseelements STRING,
  additionaleventdata STRING,
  requestid STRING,
  eventid STRING,
  resources ARRAY<STRUCT<arn: STRING, accountid: STRING, type: STRING>>,
  eventtype STRING,
  apiversion STRING,
  readonly STRING,
  recipientaccountid STRING,
  serviceeventdetails STRING,
  sharedeventid STRING,
  vpcendpointid STRING,
  tlsdetails STRUCT<tlsversion: STRING, ciphersuite: STRING, clientprovidedhostheader: STRING>
)
COMMENT 'CloudTrail logs of ${root} (codebuild-iam athena-ddl)'
PARTITIONED BY (account STRING, region STRING, \`timestamp\` STRING)
ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION '${root}'
TBLPROPERTIES (
${props.map(([k, v]) => `  '${k}' = '${v}'`).join(',\n')}
);
`;
}
