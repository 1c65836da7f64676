// Result rows back to weighted records: times in both engines' formats, malformed rows counted (or refused
// with --strict), and the accounting identity kept in events, not rows.
import { describe, expect, it } from 'vitest';
import { InvalidInput } from '../../src/errors.js';
import { parseRoleSpec } from '../../src/sources/role-match.js';
import { emptyStats } from '../../src/sources/source.js';
import { isoTime, rowToWeighted, weightedRecords, type ResultRow } from '../../src/sources/sql/rows.js';

const ROLE = 'arn:aws:iam::123456789012:role/cb-role';
const base: ResultRow = {
  eventsource: 'sts.amazonaws.com',
  eventname: 'GetCallerIdentity',
  issuerarn: ROLE,
  requestparameters: null,
  events: 4,
  firstseen: '2026-08-01T10:00:00Z',
  lastseen: '2026-08-01T11:00:00Z',
  sampleeventid: 'e',
};

async function* from(rows: ResultRow[]): AsyncGenerator<ResultRow> {
  yield* rows;
}

describe('rows to records', () => {
  it('reads ISO and Lake timestamp formats as UTC ISO times', () => {
    expect(isoTime('2026-08-01T10:00:00Z')).toBe('2026-08-01T10:00:00Z');
    expect(isoTime('2026-08-01 10:00:00.000')).toBe('2026-08-01T10:00:00Z');
    expect(isoTime('2026-08-01 10:00:00.250')).toBe('2026-08-01T10:00:00.250Z');
    expect(isoTime('2026-08-01 10:00:00 UTC')).toBe('2026-08-01T10:00:00Z');
    expect(isoTime('yesterday')).toBeUndefined();
    expect(isoTime(null)).toBeUndefined();
  });

  it('keeps absent fields absent, as in a log file', () => {
    const r = rowToWeighted(base, 'athena', 'x');
    expect('ok' in r && r.ok.record).toEqual({
      eventTime: '2026-08-01T11:00:00Z',
      eventSource: 'sts.amazonaws.com',
      eventName: 'GetCallerIdentity',
      eventID: 'e',
      userIdentity: { sessionContext: { sessionIssuer: { type: 'Role', arn: ROLE } } },
    });
  });

  it('counts malformed rows by their events and keeps records = matched + skipped', async () => {
    const stats = emptyStats();
    const out = [];
    for await (const w of weightedRecords(
      from([
        base,
        { ...base, events: 'many' },
        { ...base, firstseen: 'soon', events: 2 },
        { ...base, requestparameters: '{not json', events: 3 },
        { ...base, resources: '{"ARN":"x"}', events: 5 },
        { ...base, issuerarn: 'arn:aws:iam::123456789012:role/cb-role-2', events: 6 },
      ]),
      { engine: 'athena', role: parseRoleSpec(ROLE), stats, origin: 'athena:q' },
    ))
      out.push(w);
    expect(out.map((w) => w.count)).toEqual([4]);
    expect(stats.skipped).toEqual({ 'wrong-shape': 1, 'bad-event-time': 2, 'not-json': 8, 'other-principal': 6 });
    expect(stats.records).toBe(21);
    expect(stats.matched).toBe(4);
    expect(stats.records).toBe(stats.matched + Object.values(stats.skipped).reduce((a, b) => a + (b ?? 0), 0));
    expect(stats.notes.map((n) => n.where)).toEqual(['athena:q#2', 'athena:q#3', 'athena:q#4', 'athena:q#5', 'athena:q#6']);
  });

  it('--strict refuses a malformed row', async () => {
    const it = weightedRecords(from([{ ...base, requestparameters: '[' }]), { engine: 'lake', role: parseRoleSpec(ROLE), stats: emptyStats(), origin: 'lake:q', strict: true });
    await expect(it.next()).rejects.toThrow(InvalidInput);
  });
});
