// Every data table is loaded through one checked loader: each shipped table passes its check, every table in
// the data folders has one, a broken copy of each fails at load naming the file and the entry, and no code
// outside the loaders reads a table file.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { perBuildSlotsTable } from '../../src/synthesis/resource-slots.js';
import { loadTable, TableError, type Check } from '../../src/translation/table-check.js';
import { TRANSLATION_TABLES } from '../../src/translation/table-schemas.js';
import { ARN_VARIABLES } from '../../src/translation/tables.js';

const SRC = new URL('../../src/', import.meta.url).pathname;
const TABLES: Record<string, Check<unknown>> = {
  ...Object.fromEntries(Object.entries(TRANSLATION_TABLES).map(([f, c]) => [`translation/data/${f}`, c])),
  'synthesis/data/per-build-slots.json': perBuildSlotsTable as Check<unknown>,
};
const read = (file: string): Record<string, any> => JSON.parse(readFileSync(join(SRC, file), 'utf8'));
const filesIn = (dir: string): string[] =>
  readdirSync(join(SRC, dir))
    .filter((f) => f.endsWith('.json'))
    .map((f) => `${dir}/${f}`);

describe('shipped tables', () => {
  const shipped = [...filesIn('translation/data'), ...filesIn('synthesis/data')].sort();

  it('every table in a data folder has a check, and every check a table', () => {
    expect(shipped).toEqual(Object.keys(TABLES).sort());
  });

  it.each(shipped)('%s passes its check', (file) => {
    expect(() => loadTable(file, read(file), TABLES[file])).not.toThrow();
  });

  it('only the loaders import a table file (the rest read the typed values)', () => {
    const walk = (dir: string): string[] =>
      readdirSync(join(SRC, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(`${dir}/${e.name}`) : e.name.endsWith('.ts') ? [`${dir}/${e.name}`] : []));
    const importers = walk('.')
      .filter((f) => /from '[^']*\/data\/[^']+\.json'/.test(readFileSync(join(SRC, f), 'utf8')))
      .map((f) => f.slice(2))
      .sort();
    expect(importers).toEqual(['synthesis/resource-slots.ts', 'translation/resource-fields.ts', 'translation/tables.ts']);
  });

  it('keeps a service prefix from a record away from Object.prototype', () => {
    for (const s of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) expect(ARN_VARIABLES.get(s)).toBeUndefined();
  });
});

// One broken copy per table: the change, and the entry the error must name.
const BROKEN: Array<{ file: string; breakIt: (t: Record<string, any>) => void; at: string; problem: string }> = [
  { file: 'translation/data/arn-variables.json', breakIt: (t) => (t.services.s3.BucketName = [{ pathh: 'bucketName' }]), at: 'services.s3.BucketName[0].path', problem: 'missing' },
  { file: 'translation/data/arn-variables.json', breakIt: (t) => (t.services.logs.grantAlso = { 'log-group': ':*' }), at: 'services.logs.grantAlso["log-group"]', problem: 'expected a list' },
  { file: 'translation/data/error-outcomes.json', breakIt: (t) => (t.codes.AccessDenied.outcome = 'allowed'), at: 'codes.AccessDenied.outcome', problem: 'expected one of denied, unproven' },
  { file: 'translation/data/error-outcomes.json', breakIt: (t) => (t.codes.AccessDenied.source = 'nowhere'), at: 'codes.AccessDenied.source', problem: '"nowhere" is not one of the table\'s sources' },
  { file: 'translation/data/error-outcomes.json', breakIt: (t) => (t.patterns[1].match = '(unclosed'), at: 'patterns[1].match', problem: 'expected a regular expression' },
  { file: 'translation/data/event-rules.json', breakIt: (t) => (Object.values(t.rules)[2] as any[])[0].resourceFromm = 'x', at: `rules[${JSON.stringify(Object.keys(read('translation/data/event-rules.json').rules)[2])}][0].resourceFromm`, problem: 'unknown key' },
  { file: 'translation/data/event-rules.json', breakIt: (t) => (t.versionSuffix.lambda = '[0-9'), at: 'versionSuffix.lambda', problem: 'expected a regular expression' },
  { file: 'translation/data/multi-permission-rules.json', breakIt: (t) => (t.rules['s3:CopyObject'].entries[1].action = 7), at: 'rules["s3:CopyObject"].entries[1].action', problem: 'expected a non-empty string' },
  { file: 'translation/data/multi-permission-rules.json', breakIt: (t) => delete t.itemOperations['dynamodb:TransactGetItems'].source, at: 'itemOperations["dynamodb:TransactGetItems"].source', problem: 'missing' },
  { file: 'translation/data/request-conditions.json', breakIt: (t) => (t.conditions['ec2:CreateNetworkInterfacePermission'] = 'awsService'), at: 'conditions["ec2:CreateNetworkInterfacePermission"]', problem: 'expected an object' },
  { file: 'translation/data/resource-fields.json', breakIt: (t) => (t.operations['sns:Publish']['sns:Publish'].arn = ['TopicArn', 3]), at: 'operations["sns:Publish"]["sns:Publish"].arn[1]', problem: 'expected a string' },
  { file: 'translation/data/resource-fields.json', breakIt: (t) => (t.serviceFields.ecs = { ClusterName: 'cluster' }), at: 'serviceFields.ecs.ClusterName', problem: 'expected a list' },
  { file: 'translation/data/resource-fields.json', breakIt: (t) => (t.operationz = {}), at: 'operationz', problem: 'unknown key' },
  { file: 'translation/data/service-prefixes.json', breakIt: (t) => (t.prefixes = ['monitoring']), at: 'prefixes', problem: 'expected an object' },
  { file: 'translation/data/unlogged.json', breakIt: (t) => (t.implied['logs:CreateLogStream'][0].grant = 'yes'), at: 'implied["logs:CreateLogStream"][0].grant', problem: 'expected true or false' },
  { file: 'translation/data/unlogged.json', breakIt: (t) => delete t.neverLogged[3].source, at: 'neverLogged[3].source', problem: 'missing' },
  { file: 'translation/data/unlogged.json', breakIt: (t) => (t.neverLogged[0].actions[0] = 'PutLogEvents'), at: 'neverLogged[0].actions[0]', problem: 'expected an action "service:Name"' },
  { file: 'translation/data/unlogged.json', breakIt: (t) => delete t.objectAccess, at: 'objectAccess', problem: 'missing' },
  { file: 'translation/data/unlogged.json', breakIt: (t) => delete t.projectNeeds.reportGroup, at: 'projectNeeds.reportGroup', problem: 'missing' },
  { file: 'translation/data/unlogged.json', breakIt: (t) => (t.projectNeeds.reportGroups = t.projectNeeds.reportGroup), at: 'projectNeeds.reportGroups', problem: 'unknown key' },
  { file: 'synthesis/data/per-build-slots.json', breakIt: (t) => (t.slots[2].why = '  '), at: 'slots[2].why', problem: 'expected a non-empty string' },
];

describe('a broken table fails at load with its file name and the entry', () => {
  it('covers every table', () => {
    expect([...new Set(BROKEN.map((b) => b.file))].sort()).toEqual(Object.keys(TABLES).sort());
  });

  it.each(BROKEN.map((b) => [`${b.file} ${b.at}`, b] as const))('%s', (_, b) => {
    const table = read(b.file);
    b.breakIt(table);
    let error: unknown;
    try {
      loadTable(`src/${b.file}`, table, TABLES[b.file]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TableError);
    const te = error as TableError;
    expect({ file: te.file, at: te.at, problem: te.problem }).toEqual({ file: `src/${b.file}`, at: b.at, problem: b.problem });
    expect(te.message).toBe(`table src/${b.file}: ${b.at}: ${b.problem}`);
  });

  it('names the top level when the whole table is wrong', () => {
    expect(() => loadTable('x.json', [], TABLES['translation/data/unlogged.json'])).toThrow('table x.json: top level: expected an object');
  });
});
