// cli/run/sources: the clients are made from the flags (region, endpoint from the environment) and the
// flags are checked before any AWS call.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SourceFlags } from '../../cli/shared/flags.js';
import { openSource } from '../../cli/run/sources/open-source.js';
import { InvalidInput } from '../../src/errors.js';
import { parseRoleSpec } from '../../src/sources/role-match.js';
import type { SourceQuery } from '../../src/sources/source.js';
import { endpointEnv, jsonError, startAwsEndpoint, type AwsEndpoint } from '../support/aws-endpoint.js';

let ep: AwsEndpoint | undefined;
const saved = { ...process.env };
beforeEach(async () => {
  ep = await startAwsEndpoint((req) => {
    switch (req.operation) {
      case 'GetTableMetadata':
        return { body: { TableMetadata: { Name: 't', PartitionKeys: [{ Name: 'region' }, { Name: 'timestamp' }] } } };
      case 'StartQueryExecution':
        return { body: { QueryExecutionId: 'q' } };
      case 'GetQueryExecution':
        return { body: { QueryExecution: { Status: { State: 'SUCCEEDED' }, Statistics: { DataScannedInBytes: 0 } } } };
      case 'GetQueryResults':
        return { body: { ResultSet: { Rows: [], ResultSetMetadata: { ColumnInfo: [] } } } };
      case 'StartQuery':
        return { body: { QueryId: 'lq' } };
      case 'DescribeQuery':
        return { body: { QueryStatus: 'FINISHED' } };
      default:
        return jsonError(400, 'InvalidRequestException', `unexpected ${req.operation}`);
    }
  });
  Object.assign(process.env, endpointEnv(ep.url));
});
afterEach(async () => {
  process.env = { ...saved };
  await ep?.close();
});

/** Opens the source as `generate` does and reads it once. */
async function read(kind: 'athena' | 'lake', flags: SourceFlags, q: SourceQuery) {
  const { source, close } = await openSource(kind, flags);
  try {
    return await source.read(q);
  } finally {
    close();
  }
}
const openAthenaSource = (flags: SourceFlags, q: SourceQuery) => read('athena', flags, q);
const openLakeSource = (flags: SourceFlags, q: SourceQuery) => read('lake', flags, q);

const query: SourceQuery = {
  role: parseRoleSpec('arn:aws:iam::123456789012:role/cb-role'),
  since: new Date('2026-08-01T00:00:00Z'),
  until: new Date('2026-08-01T06:00:00Z'),
};

describe('openAthenaSource', () => {
  it('queries Athena in --region, reads that region and the global-service region, and says why', async () => {
    const out = await openAthenaSource({ athenaTable: 'db.t', region: ['eu-west-1'], athenaWorkgroup: 'wg', athenaOutput: 's3://res/x/' }, query);
    const start = ep?.requests.find((q) => q.operation === 'StartQueryExecution');
    expect(start?.region).toBe('eu-west-1');
    expect(start?.body).toMatchObject({ WorkGroup: 'wg', ResultConfiguration: { OutputLocation: 's3://res/x/' } });
    expect(start?.body.QueryString).toContain(`region IN ('eu-west-1', 'us-east-1')`);
    expect(start?.body.QueryString).toContain(`"timestamp" = '2026/08/01'`);
    expect(out.warnings.join('\n')).toMatch(/read us-east-1 as well as --region/);
    expect(out.scanned?.engine).toBe('athena');
  });

  it('checks its flags before calling AWS', async () => {
    await expect(openAthenaSource({}, query)).rejects.toThrow(/--athena-table/);
    await expect(openAthenaSource({ athenaTable: 'db.t; drop' }, query)).rejects.toThrow(InvalidInput);
    await expect(openAthenaSource({ athenaTable: 'db.t', athenaOutput: 'http://x' }, query)).rejects.toThrow(/--athena-output/);
    await expect(openAthenaSource({ athenaTable: 'db.t', athenaPricePerTb: 'free' }, query)).rejects.toThrow(/--athena-price-per-tb/);
    expect(ep?.requests).toHaveLength(0);
  });
});

describe('openLakeSource', () => {
  it("queries the store in its ARN's region", async () => {
    await openLakeSource({ eventDataStore: 'arn:aws:cloudtrail:ap-south-1:123456789012:eventdatastore/EXAMPLE-1234' }, query);
    const start = ep?.requests.find((q) => q.operation === 'StartQuery');
    expect(start?.region).toBe('ap-south-1');
    expect(start?.body.QueryStatement).toContain('FROM EXAMPLE-1234\n');
  });

  it('needs --event-data-store', async () => {
    await expect(openLakeSource({}, query)).rejects.toThrow(/--event-data-store/);
  });
});
