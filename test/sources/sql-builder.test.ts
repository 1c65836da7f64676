// The query builder: partition predicates (which S3 folders a query can read), time bounds, the role filter,
// and escaping: no input may change the query's shape.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInput } from '../../src/errors.js';
import { parseRoleSpec, type RoleSpec } from '../../src/sources/role-match.js';
import { buildAthenaQuery, buildLakeQuery, GROUP_COLUMNS } from '../../src/sources/sql/build-query.js';
import { athenaTableName, eventDataStore } from '../../src/sources/sql/escape.js';
import { partitionPredicates, type PartitionColumn } from '../../src/sources/sql/partitions.js';
import { repoPath } from '../support/paths.js';

const ROLE = parseRoleSpec('arn:aws:iam::123456789012:role/service-role/codebuild-demo-app-service-role');

/** Splits SQL into string literals and the rest, following SQL's '' doubling; throws on an open string. */
function splitSql(sql: string): { skeleton: string; literals: string[] } {
  let skeleton = '';
  const literals: string[] = [];
  for (let i = 0; i < sql.length; i++) {
    if (sql[i] !== "'") {
      skeleton += sql[i];
      continue;
    }
    let lit = '';
    for (i++; ; i++) {
      if (i >= sql.length) throw new Error('unterminated string literal');
      if (sql[i] === "'" && sql[i + 1] === "'") {
        lit += "'";
        i++;
      } else if (sql[i] === "'") break;
      else lit += sql[i];
    }
    literals.push(lit);
    skeleton += '?';
  }
  return { skeleton, literals };
}

/** Evaluates the partition predicates the builder emits against one partition's values (test-only). */
function selects(preds: string[], p: Record<string, string>): boolean {
  const { skeleton, literals } = splitSql(preds.join(' AND '));
  let k = 0;
  const lits = literals.map((l) => JSON.stringify(l));
  let js = skeleton
    .replace(/\?/g, () => `\u0000${k++}\u0000`)
    .replace(/concat\(year, \u00000\u0000, month, \u00001\u0000, day\)|concat\(year, \u0000(\d+)\u0000, month, \u0000(\d+)\u0000, day\)/g, 'p.date')
    .replace(/"timestamp"/g, 'p.timestamp')
    .replace(/\b(account|region|year|month|day)\b/g, 'p.$1')
    .replace(/(p\.\w+) BETWEEN (\u0000\d+\u0000) AND (\u0000\d+\u0000)/g, '($1 >= $2 && $1 <= $3)')
    .replace(/(p\.\w+) IN \(([^)]*)\)/g, '[$2].includes($1)')
    .replace(/ = /g, ' === ')
    .replace(/\bAND\b/g, '&&')
    .replace(/\bOR\b/g, '||');
  js = js.replace(/\u0000(\d+)\u0000/g, (_, n: string) => lits[Number(n)]);
  return new Function('p', `return ${js};`)({ ...p, date: `${p.year}/${p.month}/${p.day}` }) as boolean;
}

function days(from: string, n: number): string[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  return Array.from({ length: n }, (_, i) => new Date(start + i * 86_400_000).toISOString().slice(0, 10));
}

function whereOf(sql: string): string {
  return sql.slice(sql.indexOf('WHERE'), sql.indexOf('\n) AS e\n'));
}

describe('Athena partition predicates', () => {
  const since = new Date('2026-08-01T10:00:00Z');
  const until = new Date('2026-08-01T18:00:00Z');

  it('a one-day window in one region reads only that day and that region (projected layout)', () => {
    const preds = partitionPredicates({ columns: ['account', 'region', 'timestamp'], since, until, regions: ['eu-west-1'], accounts: ['123456789012'] });
    const selected: string[] = [];
    for (const day of days('2026-07-29', 7))
      for (const region of ['us-east-1', 'eu-west-1', 'ap-south-1'])
        for (const account of ['123456789012', '210987654321'])
          if (selects(preds, { account, region, timestamp: day.replace(/-/g, '/') })) selected.push(`${account}/${region}/${day}`);
    expect(selected).toEqual(['123456789012/eu-west-1/2026-08-01']);
    // And the full query carries those predicates ahead of the row filters.
    const sql = buildAthenaQuery('default.cloudtrail_logs', { role: ROLE, since, until, regions: ['eu-west-1'] });
    expect(whereOf(sql)).toContain(`account = '123456789012'`);
    expect(whereOf(sql)).toContain(`region = 'eu-west-1'`);
    expect(whereOf(sql)).toContain(`"timestamp" = '2026/08/01'`);
  });

  it('the same window on manually partitioned tables (region/year/month/day) reads the same single partition', () => {
    const preds = partitionPredicates({ columns: ['region', 'year', 'month', 'day'], since, until, regions: ['eu-west-1'] });
    const selected: string[] = [];
    for (const day of days('2026-07-29', 7))
      for (const region of ['us-east-1', 'eu-west-1']) {
        const [year, month, d] = day.split('-');
        if (selects(preds, { region, year, month, day: d })) selected.push(`${region}/${day}`);
      }
    expect(selected).toEqual(['eu-west-1/2026-08-01']);
  });

  it('a window ending near midnight also reads the next day, where late files are delivered', () => {
    const preds = partitionPredicates({ columns: ['timestamp'], since, until: new Date('2026-08-01T23:50:00Z') });
    const selected = days('2026-07-30', 5).filter((d) => selects(preds, { timestamp: d.replace(/-/g, '/') }));
    expect(selected).toEqual(['2026-08-01', '2026-08-02']);
    const none = partitionPredicates({ columns: ['timestamp'], since, until: new Date('2026-08-01T23:50:00Z'), deliverySlackMinutes: 0 });
    expect(days('2026-07-30', 5).filter((d) => selects(none, { timestamp: d.replace(/-/g, '/') }))).toEqual(['2026-08-01']);
  });

  it('every event in the window is in a selected partition, and no day outside [start day, end day + allowance] is read', () => {
    const layouts: PartitionColumn[][] = [['timestamp'], ['year', 'month', 'day']];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2025-12-01T00:00:00Z'), max: Date.parse('2026-03-01T00:00:00Z') }),
        fc.integer({ min: 0, max: 120 * 86_400_000 }),
        fc.integer({ min: 0, max: 180 }),
        fc.constantFrom(0, 1),
        (start, length, slack, layout) => {
          const s = new Date(start);
          const u = new Date(start + length);
          const preds = partitionPredicates({ columns: layouts[layout], since: s, until: u, deliverySlackMinutes: slack });
          const firstDay = Math.floor(start / 86_400_000);
          const lastDay = Math.floor((start + length + slack * 60_000) / 86_400_000);
          for (let d = firstDay - 2; d <= lastDay + 2; d++) {
            const iso = new Date(d * 86_400_000).toISOString().slice(0, 10);
            const [year, month, day] = iso.split('-');
            const p: Record<string, string> = layout === 0 ? { timestamp: `${year}/${month}/${day}` } : { year, month, day };
            expect(selects(preds, p)).toBe(d >= firstDay && d <= lastDay);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('open-ended windows keep the bound they have, and unknown layouts add no partition terms', () => {
    expect(partitionPredicates({ columns: ['timestamp'], since })).toEqual([`"timestamp" >= '2026/08/01'`]);
    expect(partitionPredicates({ columns: ['timestamp'], until })).toEqual([`"timestamp" <= '2026/08/01'`]);
    expect(partitionPredicates({ columns: ['timestamp'] })).toEqual([]);
    expect(partitionPredicates({ columns: [], since, until, regions: ['us-east-1'] })).toEqual([]);
  });
});

describe('time and role filters', () => {
  it('bounds the event time at second precision, inclusive, in each dialect', () => {
    const since = new Date('2026-08-01T10:00:00.250Z');
    const until = new Date('2026-08-01T11:00:00.750Z');
    const athena = buildAthenaQuery('db.t', { role: ROLE, since, until });
    expect(athena).toContain(`eventtime >= '2026-08-01T10:00:01Z'`);
    expect(athena).toContain(`eventtime <= '2026-08-01T11:00:00Z'`);
    const lake = buildLakeQuery('EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE', { role: ROLE, since, until });
    expect(lake).toContain(`eventTime >= timestamp '2026-08-01 10:00:01'`);
    expect(lake).toContain(`eventTime <= timestamp '2026-08-01 11:00:00'`);
  });

  it('compares a full ARN with its path exactly', () => {
    const sql = buildAthenaQuery('db.t', { role: ROLE });
    expect(sql).toContain(
      `useridentity.sessioncontext.sessionissuer.arn = 'arn:aws:iam::123456789012:role/service-role/codebuild-demo-app-service-role'`,
    );
  });

  it('matches a path-less ARN under any path, account pinned, and a bare name in any account, LIKE wildcards escaped', () => {
    const pathless = buildAthenaQuery('db.t', { role: parseRoleSpec('arn:aws:iam::123456789012:role/cb_role') });
    expect(pathless).toContain(`= 'arn:aws:iam::123456789012:role/cb_role'`);
    expect(pathless).toContain(`LIKE 'arn:aws:iam::123456789012:role/%/cb\\_role' ESCAPE '\\'`);
    const name = buildLakeQuery('EXAMPLEf852', { role: parseRoleSpec('cb_role') });
    expect(name).toContain(`userIdentity.sessionContext.sessionIssuer.arn LIKE 'arn:%:iam::%:role/cb\\_role' ESCAPE '\\'`);
    expect(name).toContain(`LIKE 'arn:%:iam::%:role/%/cb\\_role' ESCAPE '\\'`);
  });
});

describe('escaping: no input changes the query shape', () => {
  const benign: RoleSpec = { input: 'x', name: 'x', account: '123456789012', partition: 'aws', path: '/p/' };
  const hostile = [
    "x' OR '1'='1",
    "x'; DROP TABLE cloudtrail_logs; --",
    'x/* comment */',
    "x'--",
    "x\\' OR 1=1 --",
    "x''",
  ];

  for (const engine of ['athena', 'lake'] as const) {
    const build = (role: RoleSpec): string =>
      engine === 'athena'
        ? buildAthenaQuery('db.t', { role, since: new Date('2026-08-01T00:00:00Z'), until: new Date('2026-08-01T12:00:00Z'), regions: ['us-east-1'] })
        : buildLakeQuery('EXAMPLEf852', { role, since: new Date('2026-08-01T00:00:00Z') });
    it(`${engine}: hostile role names and paths stay inside their string literals`, () => {
      const reference = splitSql(build(benign)).skeleton;
      for (const h of hostile) {
        for (const role of [
          { ...benign, name: h },
          { ...benign, path: `/${h}/` },
          { input: h, name: h },
        ]) {
          const { skeleton, literals } = splitSql(build(role));
          // Same shape as a benign input: the hostile text only ever appears inside literals.
          const shape = splitSql(build({ ...role, name: 'x', path: role.path === undefined ? undefined : '/p/' })).skeleton;
          expect(skeleton).toBe(shape);
          expect(literals.some((l) => l.includes(h) || l.includes(h.replace(/[\\%_]/g, (c) => `\\${c}`)))).toBe(true);
        }
      }
      expect(reference).not.toMatch(/;|--|\/\*/);
    });
  }

  it('the real parser refuses role names with quotes, and quotes in ARN paths are escaped', () => {
    expect(() => parseRoleSpec("cb-role' OR '1'='1")).toThrow(InvalidInput);
    const spec = parseRoleSpec("arn:aws:iam::123456789012:role/a';--/cb-role");
    const sql = buildAthenaQuery('db.t', { role: spec });
    expect(sql).toContain(`= 'arn:aws:iam::123456789012:role/a'';--/cb-role'`);
    expect(splitSql(sql).skeleton).not.toMatch(/;|--/);
  });

  it('refuses hostile table names and event data store IDs', () => {
    for (const t of ['db.t; DROP TABLE x', 'db."t"', 'db.t--', 'db.t/*x*/', "db.t'", 'a.b.c.d', 'db..t', '', 'db.t x']) {
      expect(() => buildAthenaQuery(t, { role: ROLE }), t).toThrow(InvalidInput);
    }
    for (const s of ["EXAMPLE'; --", 'abc def', 'arn:aws:cloudtrail:us-east-1:123456789012:eventdatastore/x;y', 'ab']) {
      expect(() => buildLakeQuery(s, { role: ROLE }), s).toThrow(InvalidInput);
    }
    expect(athenaTableName('AwsDataCatalog.Security.cloudtrail_logs')).toEqual({
      sql: '"awsdatacatalog"."security"."cloudtrail_logs"',
      catalog: 'AwsDataCatalog',
      database: 'Security',
      table: 'cloudtrail_logs',
    });
    expect(eventDataStore('arn:aws:cloudtrail:eu-west-1:123456789012:eventdatastore/EXAMPLE-f852-4e8f')).toEqual({
      id: 'EXAMPLE-f852-4e8f',
      arn: 'arn:aws:cloudtrail:eu-west-1:123456789012:eventdatastore/EXAMPLE-f852-4e8f',
      region: 'eu-west-1',
    });
  });

  it('refuses hostile regions and accounts for the partition filter', () => {
    expect(() => buildAthenaQuery('db.t', { role: ROLE, regions: ["us-east-1' OR '1'='1"] })).toThrow(InvalidInput);
    expect(() => buildAthenaQuery('db.t', { role: ROLE, accounts: ['12345678901x'] })).toThrow(InvalidInput);
  });
});

describe('aggregation', () => {
  it('groups by every column the translator reads and aggregates count, first/last time and a sample ID', () => {
    for (const sql of [buildAthenaQuery('db.t', { role: ROLE }), buildLakeQuery('EXAMPLEf852', { role: ROLE })]) {
      expect(sql).toContain(`GROUP BY ${GROUP_COLUMNS.join(', ')}`);
      expect(sql).toContain('count(*) AS events, min(eventtime) AS firstseen, max(eventtime) AS lastseen, arbitrary(eventid) AS sampleeventid');
    }
    expect(buildAthenaQuery('db.t', { role: ROLE })).toContain('FROM "db"."t"');
    expect(buildLakeQuery('arn:aws:cloudtrail:us-east-1:123456789012:eventdatastore/EXAMPLEf852', { role: ROLE })).toContain('FROM EXAMPLEf852\n');
    expect(buildLakeQuery('EXAMPLEf852', { role: ROLE })).toContain('json_format(CAST(requestParameters AS JSON)) AS requestparameters');
  });
});

describe('docs/athena.md', () => {
  it('shows the query the builder makes for the demo (one day, one region)', async () => {
    const { readFileSync } = await import('node:fs');
    const doc = readFileSync(repoPath('docs/athena.md'), 'utf8');
    const shown = /```sql\n([\s\S]*?)\n```/.exec(doc)?.[1];
    const sql = buildAthenaQuery('default.cloudtrail_logs', {
      role: parseRoleSpec('codebuild-demo-app-service-role'),
      since: new Date('2024-03-05T00:00:00Z'),
      until: new Date('2024-03-05T18:00:00Z'),
      regions: ['us-east-1'],
    });
    expect(shown).toBe(sql);
  });
});
