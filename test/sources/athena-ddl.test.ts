// athena-ddl: the printed table matches the trail's S3 layout and the query builder's default partitions,
// and refuses inputs that could break out of its string literals.
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerAthenaDdl } from '../../cli/commands/athena-ddl.js';
import { InvalidInput } from '../../src/errors.js';
import { cliMessage } from '../../cli/report-error.js';
import { buildAthenaDdl } from '../../src/sources/athena/ddl.js';
import { DEFAULT_PARTITIONS } from '../../src/sources/sql/partitions.js';

function props(ddl: string): Record<string, string> {
  const block = ddl.slice(ddl.indexOf('TBLPROPERTIES'));
  return Object.fromEntries([...block.matchAll(/'([^']+)' = '([^']*)'/g)].map((m) => [m[1], m[2]]));
}

/** The S3 folder a log file is delivered to, filled in from the template as Athena's projection does. */
function fill(template: string, v: Record<string, string>): string {
  return template.replace(/\$\{(\w+)\}/g, (_, k: string) => v[k]);
}

describe('buildAthenaDdl', () => {
  const base = { bucket: 'my-trail-bucket', accounts: ['210987654321', '123456789012'], regions: ['us-east-1', 'eu-west-1'] };

  it('projects account, region and a yyyy/MM/dd date onto the trail layout', () => {
    const ddl = buildAthenaDdl(base);
    expect(ddl).toMatch(/^CREATE EXTERNAL TABLE IF NOT EXISTS `default`\.`cloudtrail_logs` \(/);
    const p = props(ddl);
    expect(p).toMatchObject({
      'projection.enabled': 'true',
      'projection.account.type': 'enum',
      'projection.account.values': '123456789012,210987654321',
      'projection.region.type': 'enum',
      'projection.region.values': 'eu-west-1,us-east-1',
      'projection.timestamp.type': 'date',
      'projection.timestamp.format': 'yyyy/MM/dd',
      'projection.timestamp.interval': '1',
      'projection.timestamp.interval.unit': 'DAYS',
    });
    const folder = fill(p['storage.location.template'], { account: '123456789012', region: 'eu-west-1', timestamp: '2026/08/01' });
    // Where CloudTrail writes: AWSLogs/<account>/CloudTrail/<region>/<yyyy>/<MM>/<dd>/<file>.
    expect(folder).toBe('s3://my-trail-bucket/AWSLogs/123456789012/CloudTrail/eu-west-1/2026/08/01');
    expect(ddl).toContain("LOCATION 's3://my-trail-bucket/AWSLogs/'");
    expect(ddl).toContain("ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'");
    expect(ddl).toContain("STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'");
    expect(ddl).toContain('requestparameters STRING');
    expect(ddl).toContain('resources ARRAY<STRUCT<arn: STRING, accountid: STRING, type: STRING>>');
  });

  it("partitions the way the query builder assumes by default", () => {
    const m = /PARTITIONED BY \(([^)]*)\)/.exec(buildAthenaDdl(base));
    const cols = (m?.[1] ?? '').split(',').map((c) => c.trim().split(/\s+/)[0].replace(/`/g, ''));
    expect(cols).toEqual([...DEFAULT_PARTITIONS]);
  });

  it('can inject the account instead of listing it, for trails of many accounts', () => {
    const p = props(buildAthenaDdl({ ...base, accounts: [], injectAccount: true }));
    expect(p['projection.account.type']).toBe('injected');
    expect(p['projection.account.values']).toBeUndefined();
  });

  it('puts the prefix and the organization ID in the path of an organization trail', () => {
    const p = props(buildAthenaDdl({ ...base, prefix: '/trails/org/', orgId: 'o-a1b2c3d4e5', table: 'org_trail', database: 'security' }));
    expect(fill(p['storage.location.template'], { account: '123456789012', region: 'us-east-1', timestamp: '2026/08/01' })).toBe(
      's3://my-trail-bucket/trails/org/AWSLogs/o-a1b2c3d4e5/123456789012/CloudTrail/us-east-1/2026/08/01',
    );
    expect(buildAthenaDdl({ ...base, table: 'org_trail', database: 'security' })).toContain('`security`.`org_trail`');
  });

  it('refuses malformed and hostile inputs', () => {
    const bad: Array<Partial<Parameters<typeof buildAthenaDdl>[0]>> = [
      { bucket: "b'; DROP TABLE x; --" },
      { bucket: 'My_Bucket' },
      { bucket: 'a..b' },
      { prefix: "logs'/*" },
      { prefix: 'logs/${account}' },
      { orgId: 'o-1; --' },
      { accounts: ['12345'] },
      { accounts: [] },
      { regions: ["us-east-1','x"] },
      { regions: [] },
      { table: 'logs`; DROP' },
      { database: 'a b' },
    ];
    for (const b of bad) expect(() => buildAthenaDdl({ ...base, ...b }), JSON.stringify(b)).toThrow(InvalidInput);
  });
});

describe('codebuild-iam athena-ddl', () => {
  afterEach(() => vi.restoreAllMocks());

  function program(): Command {
    const p = new Command('codebuild-iam').exitOverride();
    registerAthenaDdl(p);
    return p;
  }

  it('prints the statement for repeated --account and --region flags', async () => {
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
      out += String(s);
      return true;
    });
    await program().parseAsync(['athena-ddl', '--bucket', 'b-logs', '--account', '123456789012', '--account', '210987654321', '--region', 'us-east-1'], { from: 'user' });
    vi.restoreAllMocks();
    expect(out).toContain("'projection.account.values' = '123456789012,210987654321'");
    expect(out).toContain("'projection.region.values' = 'us-east-1'");
  });

  it('refuses a bad account with a usage error', async () => {
    const err = await program()
      .parseAsync(['athena-ddl', '--bucket', 'b-logs', '--account', 'nope', '--region', 'us-east-1'], { from: 'user' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInput);
    expect(cliMessage(err as InvalidInput)).toMatch(/--account "nope" is not a 12-digit AWS account ID/);
  });

  it('has help with examples', () => {
    const cmd = program().commands.find((c) => c.name() === 'athena-ddl');
    let help = '';
    cmd?.configureOutput({ writeOut: (s) => (help += s) });
    cmd?.outputHelp();
    expect(help).toContain('--org-id');
    expect(help).toContain('Examples:');
    expect(help).toContain('nothing is created');
  });
});
