// --since/--until: ISO-8601 instants, or durations before now (90m, 12h, 7d, 2w).
import { InvalidInput, opt, say, valueFields, type MessagePart } from '../errors.js';

const RELATIVE = /^(\d+)\s*(s|m|h|d|w)$/i;
const UNIT_MS: Record<string, number> = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3 };
/** The range of a JavaScript Date, ±100,000,000 days around 1970. */
const MAX_DATE_MS = 8.64e15;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

const hint = 'use ISO-8601 (2024-03-01T12:00:00Z) or a duration before now (90m, 12h, 7d, 2w)';

/** `name`: how messages name the value (`opt('since')`, or plain text). */
export function parseTime(name: MessagePart, value: string, now: Date = new Date()): Date {
  const v = value.trim();
  const rel = RELATIVE.exec(v);
  if (rel) {
    const t = now.getTime() - Number(rel[1]) * UNIT_MS[rel[2].toLowerCase()];
    if (!Number.isFinite(t) || Math.abs(t) > MAX_DATE_MS || t < 0) {
      throw new InvalidInput(say`${name} ${JSON.stringify(value)} reaches back before 1970; give a shorter duration or a date (${hint})`, valueFields(name, value));
    }
    return new Date(t);
  }
  const m = ISO.exec(v);
  if (!m) throw new InvalidInput(say`${name} ${JSON.stringify(value)} is not a time; ${hint}`, valueFields(name, value));
  // Date.parse rolls impossible dates over (2024-02-30 becomes March 1st): check every field.
  const [year, month, day, hour = 0, minute = 0, second = 0] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((x) => (x === undefined ? undefined : Number(x)));
  const days = new Date(Date.UTC(year as number, month as number, 0)).getUTCDate();
  if ((month as number) < 1 || (month as number) > 12 || (day as number) < 1 || (day as number) > days || hour > 23 || minute > 59 || second > 59) {
    throw new InvalidInput(say`${name} ${JSON.stringify(value)} is not a date that exists; ${hint}`, valueFields(name, value));
  }
  // Dates without a zone are taken as UTC, as CloudTrail's times are.
  const zone = m[8] === undefined ? 'Z' : m[8].toUpperCase() === 'Z' ? 'Z' : m[8].length === 5 ? `${m[8].slice(0, 3)}:${m[8].slice(3)}` : m[8];
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}${m[7] ?? ''}${zone}`;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new InvalidInput(say`${name} ${JSON.stringify(value)} is not a time; ${hint}`, valueFields(name, value));
  return new Date(t);
}

export interface Window {
  since?: Date;
  until?: Date;
}

export function parseWindow(since: string | undefined, until: string | undefined, now: Date = new Date()): Window {
  const w: Window = {
    since: since === undefined ? undefined : parseTime(opt('since'), since, now),
    until: until === undefined ? undefined : parseTime(opt('until'), until, now),
  };
  if (w.since && w.until && w.since.getTime() > w.until.getTime()) {
    throw new InvalidInput(say`${opt('since')} (${w.since.toISOString()}) is after ${opt('until')} (${w.until.toISOString()}); swap them`, { option: 'since', value: since });
  }
  return w;
}
