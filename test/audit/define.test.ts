// How a layer's table becomes checks: each problem becomes a finding with the check's ID (plus its key), the
// check's severity unless the problem names one, and the project's ARN unless it names a resource; a note
// without problems passes; `given` skips a check whose part of the input is missing, with its reason.
import { describe, expect, it } from 'vitest';
import { given, layerChecks } from '../../src/audit/checks/define.js';
import type { AuditInput } from '../../src/audit/model.js';

const input = (role?: unknown): AuditInput =>
  ({
    snapshot: { project: { name: 'app' }, region: 'eu-west-1', account: '123456789012', partition: 'aws', ...(role ? { role } : {}) },
    options: {},
  }) as AuditInput;

const meta = { title: 'T', severity: 'high' as const, sources: [{ title: 'S' }] };

describe('layerChecks', () => {
  it('fills in ID, severity and resource, keeps the metadata in report order', () => {
    const [check] = layerChecks('runtime', [
      {
        id: 'RUN-X',
        ...meta,
        run: () => [
          { message: 'm1', evidence: ['e1'], fix: 'f1' },
          { message: 'm2', evidence: ['e2'], fix: 'f2', key: 'k', severity: 'low', resource: 'arn:aws:s3:::b' },
        ],
      },
    ]);
    const { run, ...rest } = check;
    expect(Object.keys(rest)).toEqual(['id', 'layer', 'title', 'severity', 'sources']);
    expect(rest.layer).toBe('runtime');
    expect(run(input())).toEqual({
      findings: [
        { id: 'RUN-X', check: 'RUN-X', severity: 'high', resource: 'arn:aws:codebuild:eu-west-1:123456789012:project/app', message: 'm1', evidence: ['e1'], fix: 'f1' },
        { id: 'RUN-X:k', check: 'RUN-X', severity: 'low', resource: 'arn:aws:s3:::b', message: 'm2', evidence: ['e2'], fix: 'f2' },
      ],
    });
  });

  it('passes with a note, drops an empty note, and hands a skip through', () => {
    const [noted, bare, skipped] = layerChecks('data', [
      { id: 'A', ...meta, run: () => ({ problems: [], note: 'saw nothing' }) },
      { id: 'B', ...meta, run: () => ({ problems: [], note: undefined }) },
      { id: 'C', ...meta, run: () => ({ skipped: 'no input' }) },
    ]);
    expect(noted.run(input())).toEqual({ findings: [], note: 'saw nothing' });
    expect(bare.run(input())).toStrictEqual({ findings: [] });
    expect(skipped.run(input())).toEqual({ skipped: 'no input' });
  });
});

describe('given', () => {
  const needRole = (i: AuditInput) => i.snapshot.role ?? { skipped: 'no role' };
  const run = given(needRole, (role, i) => [{ message: `${role.roleArn} in ${i.snapshot.region}`, evidence: [], fix: '' }]);

  it('skips with the reason when the part is missing', () => {
    expect(run(input())).toEqual({ skipped: 'no role' });
  });

  it('runs with the part and the input when it is there', () => {
    expect(run(input({ roleArn: 'arn:aws:iam::123456789012:role/r' }))).toEqual([{ message: 'arn:aws:iam::123456789012:role/r in eu-west-1', evidence: [], fix: '' }]);
  });
});
