// Narrow checks for the JSON tables under translation/data and synthesis/data. A table that does not have the
// shape its code reads fails at load, naming the file and the entry (`implied["logs:CreateLogStream"][0].grant`),
// instead of translating wrongly later. Hand-written rather than a schema library: zod and valibot took 80-300 ms
// to check resource-fields.json (3,500 operations), which every run loads; these loops take a few. The path of
// a failing entry is put together while the error unwinds, so a table that passes costs no path strings.

import { OperationFailed } from '../errors.js';

/** A bundled table is malformed: the library cannot run as built (a library error, exit 3 in the CLI). */
export class TableError extends OperationFailed {
  constructor(
    readonly file: string,
    readonly at: string,
    readonly problem: string,
  ) {
    super(`table ${file}: ${at || 'top level'}: ${problem}`, { file, where: at || 'top level' });
  }
}

/** Checks `value` and returns it typed (the same value, not a copy, unless the check says otherwise), or throws. */
export type Check<T> = (value: unknown) => T;

type Step = string | number;

class Problem extends Error {
  readonly path: Step[] = [];
  constructor(readonly problem: string) {
    super(problem);
  }
}

/** Fails the value being checked; `path` names an entry inside it (for checks across entries). */
export function problem(message: string, ...path: Step[]): never {
  const p = new Problem(message);
  p.path.push(...path);
  throw p;
}

/** Checks `value` as the entry `step` of its parent, so that a failure names the step. */
export function at<T>(step: Step, check: Check<T>, value: unknown): T {
  try {
    return check(value);
  } catch (e) {
    if (e instanceof Problem) e.path.unshift(step);
    throw e;
  }
}

function pathText(path: Step[]): string {
  return path
    .map((s, i) => (typeof s === 'number' ? `[${s}]` : /^[A-Za-z_$][\w$]*$/.test(s) ? `${i > 0 ? '.' : ''}${s}` : `[${JSON.stringify(s)}]`))
    .join('');
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const str: Check<string> = (v) => (typeof v === 'string' ? v : problem('expected a string'));
export const text: Check<string> = (v) => (typeof v === 'string' && v.trim() !== '' ? v : problem('expected a non-empty string'));
export const bool: Check<boolean> = (v) => (typeof v === 'boolean' ? v : problem('expected true or false'));
export const int: Check<number> = (v) => (typeof v === 'number' && Number.isInteger(v) ? v : problem('expected an integer'));
export const any: Check<unknown> = (v) => v;

/** A string that compiles as a regular expression (with `flags`). */
export const regex =
  (flags = ''): Check<string> =>
  (v) => {
    const s = str(v);
    try {
      new RegExp(s, flags);
    } catch {
      problem('expected a regular expression');
    }
    return s;
  };

export const oneOf =
  <T extends string>(...values: T[]): Check<T> =>
  (v) =>
    values.includes(v as T) ? (v as T) : problem(`expected one of ${values.join(', ')}`);

export const either =
  <A, B>(a: Check<A>, b: Check<B>, what: string): Check<A | B> =>
  (v) => {
    for (const check of [a, b]) {
      try {
        return check(v);
      } catch (e) {
        if (!(e instanceof Problem)) throw e;
      }
    }
    return problem(`expected ${what}`);
  };

export const arrayOf =
  <T>(item: Check<T>): Check<T[]> =>
  (v) => {
    if (!Array.isArray(v)) return problem('expected a list');
    for (let i = 0; i < v.length; i++) at(i, item, v[i]);
    return v as T[];
  };

export const recordOf =
  <T>(entry: Check<T>): Check<Record<string, T>> =>
  (v) => {
    if (!isPlainObject(v)) return problem('expected an object');
    for (const k in v) at(k, entry, v[k]);
    return v as Record<string, T>;
  };

type Checks<T> = { [K in keyof T]-?: Check<Exclude<T[K], undefined>> };
type RequiredKeys<T> = { [K in keyof T]-?: undefined extends T[K] ? never : K }[keyof T];
type OptionalKeys<T> = Exclude<keyof T, RequiredKeys<T>>;
const own = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** An object with these required and optional keys and no others (keys starting with "_" are comments). */
export function object<T>(required: Checks<Pick<T, RequiredKeys<T>>>, optional: Checks<Pick<T, OptionalKeys<T>>>): Check<T> {
  const req = required as Record<string, Check<unknown>>;
  const opt = optional as Record<string, Check<unknown>>;
  return (v) => {
    if (!isPlainObject(v)) return problem('expected an object');
    for (const k in req) {
      if (!own(v, k)) problem('missing', k);
      at(k, req[k], v[k]);
    }
    for (const k in v) {
      if (own(req, k) || k.startsWith('_')) continue;
      if (!own(opt, k)) problem('unknown key', k);
      at(k, opt[k], v[k]);
    }
    return v as T;
  };
}

/**
 * `check`, behind a cheap test that accepts a well-formed value with plain loops (no call per entry): only a
 * value the test refuses goes through `check`, which says what is wrong where. The test must be as strict.
 */
export function withFastPath<T>(check: Check<T>, accepts: (value: unknown) => boolean): Check<T> {
  return (v) => (accepts(v) ? (v as T) : check(v));
}

export { isPlainObject };

/** A further check of a value already of the right shape (cross-references between entries): `test` calls problem(). */
export function refine<T>(check: Check<T>, test: (value: T) => void): Check<T> {
  return (v) => {
    const value = check(v);
    test(value);
    return value;
  };
}

/** The table `raw` read from `file`, checked: its typed value, or a TableError naming the file and the entry. */
export function loadTable<T>(file: string, raw: unknown, check: Check<T>): T {
  try {
    return check(raw);
  } catch (e) {
    if (e instanceof Problem) throw new TableError(file, pathText(e.path), e.problem);
    throw e;
  }
}
