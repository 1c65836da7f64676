// Helpers for the export tests: an HCL normalizer (compare modulo whitespace and block ordering), a reader
// that maps parsed Terraform back to policy documents, and a canonical form of documents for comparison.
// Written independently of src/rendering so that the tests do not check the renderer against itself.
import hcl from 'hcl2-parser';
import type { PolicyDocument, PolicyStatement } from '../../../src/model.js';
import { repoPath } from '../../support/paths.js';
import { sharedPath } from '../../support/shared.js';

// ---- normalizer -------------------------------------------------------------------------------------------

type Tok = { t: 'id' | 'str' | 'punct'; v: string };

/** End index (exclusive) of a quoted template starting after its opening quote at `i`. */
function scanString(s: string, i: number): number {
  while (i < s.length) {
    const c = s[i];
    if (c === '\\') i += 2;
    else if (c === '"') return i + 1;
    else if ((c === '$' || c === '%') && s[i + 1] === c && s[i + 2] === '{') i += 3;
    else if ((c === '$' || c === '%') && s[i + 1] === '{') i = scanExpr(s, i + 2);
    else i++;
  }
  throw new Error('unterminated string');
}

/** End index (exclusive) of an interpolation body starting at `i` (after `${`), i.e. past its `}`. */
function scanExpr(s: string, i: number): number {
  let depth = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '"') i = scanString(s, i + 1);
    else if (c === '{') (depth++, i++);
    else if (c === '}') {
      if (depth === 0) return i + 1;
      depth--;
      i++;
    } else i++;
  }
  throw new Error('unterminated interpolation');
}

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (/\s/.test(c)) i++;
    else if (c === '#' || (c === '/' && s[i + 1] === '/')) while (i < s.length && s[i] !== '\n') i++;
    else if (c === '"') {
      const end = scanString(s, i + 1);
      out.push({ t: 'str', v: s.slice(i, end) });
      i = end;
    } else if ('{}[]=,'.includes(c)) {
      out.push({ t: 'punct', v: c });
      i++;
    } else {
      const m = /^[A-Za-z0-9_.\-*()]+/.exec(s.slice(i));
      if (!m) throw new Error(`unexpected ${JSON.stringify(c)} at ${i}`);
      out.push({ t: 'id', v: m[0] });
      i += m[0].length;
    }
  }
  return out;
}

/**
 * A canonical text of HCL: whitespace and comments dropped, attributes sorted by name, blocks sorted by type
 * and content, except `statement` blocks, which keep their order (we promise to keep the document's order).
 * String literals are compared exactly as written, so `$${aws:username}` and `${aws:username}` differ.
 */
export function normalizeHcl(text: string): string {
  const toks = tokenize(text);
  let p = 0;
  const peek = (): Tok | undefined => toks[p];
  const take = (v?: string): Tok => {
    const t = toks[p++];
    if (!t || (v !== undefined && t.v !== v)) throw new Error(`expected ${v ?? 'a token'} at token ${p - 1}, got ${t?.v}`);
    return t;
  };
  const value = (): string => {
    if (peek()?.v === '[') {
      take('[');
      const items: string[] = [];
      while (peek()?.v !== ']') {
        items.push(value());
        if (peek()?.v === ',') take(',');
      }
      take(']');
      return `[${items.join(',')}]`;
    }
    return take().v;
  };
  const body = (end: string | undefined): string => {
    const attrs: string[] = [];
    const blocks: Array<{ type: string; text: string }> = [];
    while (p < toks.length && peek()?.v !== end) {
      const name = take().v;
      if (peek()?.v === '=') {
        take('=');
        attrs.push(`${name}=${value()}`);
      } else {
        const labels: string[] = [];
        while (peek()?.t === 'str') labels.push(take().v);
        take('{');
        const inner = body('}');
        take('}');
        blocks.push({ type: name, text: `${[name, ...labels].join(' ')}{${inner}}` });
      }
    }
    const kept = blocks.filter((b) => b.type === 'statement').map((b) => b.text);
    const sorted = blocks.filter((b) => b.type !== 'statement').map((b) => b.text).sort();
    return [...attrs.sort(), ...sorted, ...kept].join(';');
  };
  return body(undefined);
}

// ---- Terraform -> policy documents ------------------------------------------------------------------------

type Parsed = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Parses HCL with hcl2-parser (HashiCorp's HCL v2 via hcl2json); throws on a syntax error. */
export function parseHcl(text: string): Parsed {
  const [result, error] = hcl.parseToObject(text) as [Parsed | null, unknown];
  if (error || !result) throw new Error(`HCL does not parse: ${String(error)}`);
  return result;
}

const listOf = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

function principalsOf(blocks: Parsed[] | undefined): PolicyStatement['Principal'] {
  if (!blocks) return undefined;
  if (blocks.length === 1 && blocks[0].type === '*') return '*';
  // A Map, then fromEntries: keys such as "__proto__" must stay keys.
  const out = new Map<string, string[]>();
  for (const b of blocks) out.set(b.type, [...(out.get(b.type) ?? []), ...listOf(b.identifiers)]);
  return Object.fromEntries(out);
}

/** Every `data "aws_iam_policy_document"` of a Terraform file, mapped back to IAM JSON. */
export function terraformPolicies(text: string): Record<string, PolicyDocument> {
  const docs = parseHcl(text).data?.aws_iam_policy_document ?? {};
  const out: Record<string, PolicyDocument> = {};
  for (const [name, [body]] of Object.entries(docs as Record<string, Parsed[]>)) {
    const statements = ((body.statement ?? []) as Parsed[]).map((s) => {
      const st: PolicyStatement = { Effect: s.effect };
      if (s.sid !== undefined) st.Sid = s.sid;
      const map: Array<[string, keyof PolicyStatement]> = [
        ['actions', 'Action'],
        ['not_actions', 'NotAction'],
        ['resources', 'Resource'],
        ['not_resources', 'NotResource'],
      ];
      for (const [tf, iam] of map) if (s[tf] !== undefined) (st as unknown as Record<string, string[]>)[iam] = listOf(s[tf]);
      const p = principalsOf(s.principals);
      if (p) st.Principal = p;
      const np = principalsOf(s.not_principals);
      if (np) st.NotPrincipal = np;
      if (s.condition) {
        const tests = new Map<string, Map<string, string[]>>();
        for (const c of s.condition as Parsed[]) {
          if (!tests.has(c.test)) tests.set(c.test, new Map());
          tests.get(c.test)!.set(c.variable, listOf(c.values));
        }
        st.Condition = Object.fromEntries([...tests].map(([t, vars]) => [t, Object.fromEntries(vars)]));
      }
      return st;
    });
    out[name] = { Version: body.version ?? '2012-10-17', ...(body.policy_id !== undefined && { Id: body.policy_id }), Statement: statements };
  }
  return out;
}

// ---- canonical documents ----------------------------------------------------------------------------------

const arr = (v: unknown): string[] => (Array.isArray(v) ? v : [v]).map(String);
const sortKeys = <T>(o: Record<string, T>): Record<string, T> =>
  Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));

/**
 * A document in a form where equal policies are deep-equal: string-or-list as lists, condition values as
 * strings (Terraform has no booleans there; IAM compares them as text), object keys sorted, statement and
 * value order kept.
 */
export function canonical(doc: PolicyDocument): unknown {
  const principal = (p: unknown): unknown =>
    p === '*' ? '*' : sortKeys(Object.fromEntries(Object.entries(p as Record<string, unknown>).map(([k, v]) => [k, arr(v)])));
  return {
    Version: doc.Version,
    Id: doc.Id,
    Statement: doc.Statement.map((s) => ({
      Sid: s.Sid,
      Effect: s.Effect,
      Action: s.Action === undefined ? undefined : arr(s.Action),
      NotAction: s.NotAction === undefined ? undefined : arr(s.NotAction),
      Resource: s.Resource === undefined ? undefined : arr(s.Resource),
      NotResource: s.NotResource === undefined ? undefined : arr(s.NotResource),
      Principal: s.Principal === undefined ? undefined : principal(s.Principal),
      NotPrincipal: s.NotPrincipal === undefined ? undefined : principal(s.NotPrincipal),
      Condition:
        s.Condition === undefined
          ? undefined
          : sortKeys(Object.fromEntries(Object.entries(s.Condition).map(([op, kv]) => [op, sortKeys(Object.fromEntries(Object.entries(kv).map(([k, v]) => [k, arr(v)])))]))),
    })),
  };
}

// ---- shared fixtures --------------------------------------------------------------------------------------

export const FLOSELL_FIXTURES = sharedPath('conformance/iam-policy-json-to-terraform/fixtures/');
export const DEMO_INPUTS = repoPath('fixtures/export/codebuild-demo/');

// ---- deliberate differences from flosell's converter --------------------------------------------------------

/**
 * Where we differ from flosell's expected output on purpose: only a well-formed Terraform reference
 * (`${a.b...}`) stays live; function calls are escaped, since a richer expression can hide HCL syntax (a
 * comment, a quote) that ends the string (issue 19). Each entry: [their text, ours].
 */
const DIVERGENCES: Record<string, Array<[string, string]>> = {
  'tf-interpolations.json': [
    ['${join(var.separator,local.path_elements)}', '$${join(var.separator,local.path_elements)}'],
    ['${join("/",local.path_elements)}', '$${join(\\"/\\",local.path_elements)}'],
    ['${join("/",["foo${lower("BAR")}"])}', '$${join(\\"/\\",[\\"foo$${lower(\\"BAR\\")}\\"])}'],
  ],
};

/** flosell's expected `.tf` for `file`, with our deliberate differences applied (each must occur). */
export function expectedTerraform(file: string, text: string): string {
  let out = text;
  for (const [theirs, ours] of DIVERGENCES[file] ?? []) {
    if (!out.includes(theirs)) throw new Error(`${file}: the divergence ${theirs} no longer occurs`);
    out = out.split(theirs).join(ours);
  }
  return out;
}
