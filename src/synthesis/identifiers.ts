// The shapes a per-build identifier takes inside a resource name: a UUID, a timestamp, a build number, a hash
// or a random suffix. A word ("alpha", "prod", "reader") is never one, so a path segment that is a word can
// never become a wildcard. Shape alone justifies nothing: generalize.ts also asks where the token sits and
// whether it differs between builds.

export type IdentifierKind = 'uuid' | 'timestamp' | 'number' | 'hash' | 'random suffix';

export interface IdentifierSpan {
  start: number;
  end: number;
  kind: IdentifierKind;
  value: string;
}

const UUID = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/g;
// 20240301T120000Z, 2024-03-01T12-00-00, 2024-03-01T12:00:00Z and epoch seconds or milliseconds.
const TIMESTAMP = /\d{8}T\d{4,6}Z?|\d{4}-\d{2}-\d{2}T\d{2}[-:]\d{2}(?:[-:]\d{2}(?:\.\d+)?)?Z?|(?<![0-9])1\d{9}(?:\d{3})?(?![0-9])/g;
const ALNUM = /[A-Za-z0-9]+/g;

/** Classifies a run of letters and digits; returns the part of it that is an identifier, if any. */
function classifyRun(run: string): { offset: number; length: number; kind: IdentifierKind } | undefined {
  if (/^\d+$/.test(run)) return { offset: 0, length: run.length, kind: 'number' };
  // A git SHA (7 to 40 characters) or a content hash: hexadecimal with at least one digit and one letter.
  if (run.length >= 7 && /^[0-9a-fA-F]+$/.test(run) && /\d/.test(run) && /[a-fA-F]/.test(run)) return { offset: 0, length: run.length, kind: 'hash' };
  // A word followed by a number (build41, v2, Release7): only the number is the identifier.
  const wordNumber = /^([A-Z]?[a-z]+|[A-Z]+)(\d+)$/.exec(run);
  if (wordNumber) return { offset: wordNumber[1].length, length: wordNumber[2].length, kind: 'number' };
  // Six or more characters of letters mixed with digits (k3j9x2, tHhvTe1), or a short run of letters whose
  // case goes from lower to upper twice or more (ODPqVoS, a CodePipeline artifact name): a random suffix. A
  // word does that at most once (JavaScript, SourceArti, McDonald).
  const raises = (run.match(/[a-z](?=[A-Z])/g) ?? []).length;
  if (run.length >= 6 && /\d/.test(run) && /[A-Za-z]/.test(run)) return { offset: 0, length: run.length, kind: 'random suffix' };
  if (run.length >= 6 && run.length <= 10 && raises >= 2) return { offset: 0, length: run.length, kind: 'random suffix' };
  return undefined;
}

/** The identifier-shaped tokens of `s`, in order and not overlapping. */
export function identifierSpans(s: string): IdentifierSpan[] {
  const spans: IdentifierSpan[] = [];
  const taken = (start: number, end: number): boolean => spans.some((x) => start < x.end && x.start < end);
  for (const [re, kind] of [
    [UUID, 'uuid'],
    [TIMESTAMP, 'timestamp'],
  ] as const) {
    for (const m of s.matchAll(re)) {
      const start = m.index ?? 0;
      if (!taken(start, start + m[0].length)) spans.push({ start, end: start + m[0].length, kind, value: m[0] });
    }
  }
  // Letters and digits outside those, with the UUIDs and timestamps masked so a run never straddles one.
  let masked = s;
  for (const x of spans) masked = `${masked.slice(0, x.start)}${'-'.repeat(x.end - x.start)}${masked.slice(x.end)}`;
  for (const m of masked.matchAll(ALNUM)) {
    const c = classifyRun(m[0]);
    if (!c) continue;
    const start = (m.index ?? 0) + c.offset;
    spans.push({ start, end: start + c.length, kind: c.kind, value: s.slice(start, start + c.length) });
  }
  return spans.sort((a, b) => a.start - b.start);
}

/** The instant a timestamp token names (UTC), in milliseconds, or undefined when it is no valid time. */
export function timestampMillis(token: string): number | undefined {
  if (/^1\d{12}$/.test(token)) return Number(token);
  if (/^1\d{9}$/.test(token)) return Number(token) * 1000;
  const m = /^(\d{4})-?(\d{2})-?(\d{2})T(\d{2})[-:]?(\d{2})(?:[-:]?(\d{2}))?(?:\.\d+)?Z?$/.exec(token);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, sec] = m.map(Number);
  const t = Date.UTC(y, mo - 1, d, h, mi, Number.isNaN(sec) ? 0 : sec);
  // Date.UTC rolls 2024-02-30 over into March: such a token is no time.
  const back = new Date(t);
  return back.getUTCMonth() === mo - 1 && back.getUTCDate() === d && h < 24 && mi < 60 ? t : undefined;
}
