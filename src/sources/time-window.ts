// --since/--until: ISO-8601 instants, or durations before now (90m, 12h, 7d, 2w).
import { InputError } from '../errors.js';

const RELATIVE = /^(\d+)\s*(s|m|h|d|w)$/i;
const UNIT_MS: Record<string, number> = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3 };

export function parseTime(flag: string, value: string, now: Date = new Date()): Date {
  const v = value.trim();
  const rel = RELATIVE.exec(v);
  if (rel) return new Date(now.getTime() - Number(rel[1]) * UNIT_MS[rel[2].toLowerCase()]);
  // Dates without a zone are taken as UTC, as CloudTrail's times are.
  const iso = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/.test(v) ? `${v.length === 10 ? `${v}T00:00:00` : v}Z` : v;
  const t = Date.parse(iso);
  if (!/^\d{4}-\d{2}-\d{2}/.test(v) || Number.isNaN(t)) {
    throw new InputError(`${flag} ${JSON.stringify(value)} is not a time; use ISO-8601 (2024-03-01T12:00:00Z) or a duration before now (90m, 12h, 7d)`);
  }
  return new Date(t);
}

export interface Window {
  since?: Date;
  until?: Date;
}

export function parseWindow(since: string | undefined, until: string | undefined, now: Date = new Date()): Window {
  const w: Window = {
    since: since === undefined ? undefined : parseTime('--since', since, now),
    until: until === undefined ? undefined : parseTime('--until', until, now),
  };
  if (w.since && w.until && w.since.getTime() > w.until.getTime()) {
    throw new InputError(`--since (${w.since.toISOString()}) is after --until (${w.until.toISOString()}); swap them`);
  }
  return w;
}

