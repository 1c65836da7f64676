// Per-build identifiers -> wildcards, at the narrowest place. A build's log stream is its UUID, artifact keys
// carry build numbers, temporary names carry timestamps: the next build uses other values, so a policy that
// names this build's values would fail. Constant parts stay literal.

export interface Generalization {
  from: string[];
  to: string;
  why: string;
}

export interface ObservedResource {
  resource: string;
  builds: string[];
}

const UUID_SHAPE = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/g;
// 20240301T120000Z, 2024-03-01T12-00-00, 2024-03-01T12:00:00Z and epoch seconds or milliseconds.
const TIMESTAMP = /\d{8}T\d{4,6}Z?|\d{4}-\d{2}-\d{2}T\d{2}[-:]\d{2}(?:[-:]\d{2}(?:\.\d+)?)?Z?|\b1\d{9}(?:\d{3})?\b/g;

/** Splits an ARN pattern into tokens and separators, keeping the first five fields (arn:partition:service:region:account:) whole. */
function tokenize(arn: string): { head: string; tokens: string[]; seps: string[] } {
  let head = '';
  let rest = arn;
  if (arn.startsWith('arn:')) {
    let idx = -1;
    for (let i = 0; i < 5; i++) {
      idx = arn.indexOf(':', idx + 1);
      if (idx === -1) break;
    }
    if (idx !== -1) {
      head = arn.slice(0, idx + 1);
      rest = arn.slice(idx + 1);
    }
  }
  const tokens: string[] = [];
  const seps: string[] = [];
  let cur = '';
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i];
    // "${*}" is an escaped literal, not a separator-bearing token.
    if (c === '$' && rest[i + 1] === '{') {
      const end = rest.indexOf('}', i);
      if (end !== -1) {
        cur += rest.slice(i, end + 1);
        i = end;
        continue;
      }
    }
    if (c === '/' || c === ':') {
      tokens.push(cur);
      seps.push(c);
      cur = '';
    } else cur += c;
  }
  tokens.push(cur);
  return { head, tokens, seps };
}

function join(head: string, tokens: string[], seps: string[]): string {
  let s = head;
  tokens.forEach((t, i) => {
    s += t;
    if (i < seps.length) s += seps[i];
  });
  return s;
}

function collapseStars(s: string): string {
  return s.replace(/\*{2,}/g, '*');
}

/**
 * Replaces identifiers that have the shape of a per-build value: the build IDs seen (a build's log stream is
 * its UUID) and timestamps. Other UUIDs are left alone: KMS keys and many other fixed resources are UUIDs too;
 * those that vary per build are found by generalizeAcrossBuilds.
 */
export function generalizeShape(resource: string, buildIds: ReadonlySet<string> | string[]): { to: string; why?: string } {
  if (!resource.startsWith('arn:')) return { to: resource };
  // Most resources hold neither shape (nor a run of stars to collapse): answer without splitting them into
  // tokens. The answer is the same as the full path's.
  UUID_SHAPE.lastIndex = 0;
  TIMESTAMP.lastIndex = 0;
  if (!UUID_SHAPE.test(resource) && !TIMESTAMP.test(resource) && !resource.includes('**')) return { to: resource };
  const builds = buildIds instanceof Set ? buildIds : new Set([...buildIds].map((b) => b.toLowerCase()));
  const { head, tokens, seps } = tokenize(resource);
  const whys = new Set<string>();
  // A bucket's name is fixed when the bucket is created; only keys vary per build.
  const fixed = head.startsWith('arn:') && head.split(':')[2] === 's3' ? 0 : -1;
  const out = tokens.map((t, i) => {
    if (t.includes('${') || i === fixed) return t;
    // Build IDs are UUIDs: look each UUID-shaped run up in the set instead of trying every build on every token.
    let v = t.replace(UUID_SHAPE, (m) => {
      if (!builds.has(m.toLowerCase())) return m;
      whys.add('a build ID');
      return '*';
    });
    v = v.replace(TIMESTAMP, () => {
      whys.add('a timestamp');
      return '*';
    });
    return collapseStars(v);
  });
  const to = join(head, out, seps);
  return to === resource ? { to } : { to, why: `has the shape of ${[...whys].sort().join(' and ')}` };
}

function commonPrefix(xs: string[]): string {
  let p = xs[0] ?? '';
  for (const x of xs) while (!x.startsWith(p)) p = p.slice(0, -1);
  return p;
}

function commonSuffix(xs: string[]): string {
  let s = xs[0] ?? '';
  for (const x of xs) while (!x.endsWith(s)) s = s.slice(1);
  return s;
}

/**
 * Among resources of one action that differ in exactly one token, where each value belongs to a different
 * build, that token varies per build: keep what the values share and put a wildcard where they differ.
 */
export function generalizeAcrossBuilds(resources: ObservedResource[]): Generalization[] {
  interface Parsed {
    r: ObservedResource;
    t: ReturnType<typeof tokenize>;
    shape: string;
    joined: string;
    starts: number[];
    /** Per token position: whether the resources of this shape differ there (filled in below). */
    varies: boolean[];
  }
  const parsed: Parsed[] = [];
  let most = 0;
  for (const r of resources) {
    if (!r.resource.startsWith('arn:')) continue;
    const t = tokenize(r.resource);
    const starts: number[] = [];
    let at = 0;
    for (const tok of t.tokens) {
      starts.push(at);
      at += tok.length + 1;
    }
    parsed.push({ r, t, shape: `${t.head}\u0000${t.seps.join('')}\u0000`, joined: t.tokens.join('\u0000'), starts, varies: [] });
    most = Math.max(most, t.tokens.length);
  }
  // Groups are "same shape, every token but the i-th equal". They are made one position at a time, so only
  // one position's keys are held at once, and in the order of their keys as strings (position "10" sorts
  // before "2"): a resource is used by the first group that takes it, and only groups of one shape can share
  // a resource, so this is the order a single sort of all keys would give. The output is in key order.
  const positions = Array.from({ length: most }, (_, i) => i).sort((a, b) => (String(a) < String(b) ? -1 : 1));
  // Where every resource of a shape has the same token, each of its groups at that position holds one
  // resource (the resources are distinct), and groups of one are never generalized: skip making their keys.
  const varying = new Map<string, { first: string[]; varies: boolean[] }>();
  for (const p of parsed) {
    let v = varying.get(p.shape);
    if (!v) varying.set(p.shape, (v = { first: p.t.tokens, varies: p.t.tokens.map(() => false) }));
    else for (let i = 0; i < p.t.tokens.length; i++) if (p.t.tokens[i] !== v.first[i]) v.varies[i] = true;
    p.varies = v.varies;
  }
  const found: { key: string; g: Generalization }[] = [];
  const used = new Set<string>();
  for (const i of positions) {
    const groups = new Map<string, Parsed[]>();
    for (const p of parsed) {
      if (p.t.tokens.length <= i || !p.varies[i]) continue;
      const key = `${p.shape}${i}\u0000${p.joined.slice(0, p.starts[i])}\u0001${p.joined.slice(p.starts[i] + p.t.tokens[i].length)}`;
      const g = groups.get(key);
      if (g) g.push(p);
      else groups.set(key, [p]);
    }
    for (const [key, group] of [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (group.length < 2 || group.some((g) => used.has(g.r.resource))) continue;
      // Each value belongs to one build, and the values come from at least two builds.
      const builds = new Set<string>();
      let perBuild = true;
      for (const { r } of group) {
        if (r.builds.length !== 1) perBuild = false;
        else builds.add(r.builds[0]);
      }
      if (builds.size < 2) perBuild = false;
      if (!perBuild) continue;
      const first = group[0].t;
      const values = group.map((g) => g.t.tokens[i]);
      if (values.some((v) => v.includes('${'))) continue;
      let pre = commonPrefix(values);
      let suf = commonSuffix(values);
      const shortest = Math.min(...values.map((v) => v.length));
      if (pre.length + suf.length > shortest) suf = suf.slice(pre.length + suf.length - shortest);
      // Digits at the edge of the shared part belong to the varying number (build-41 vs build-42 -> build-*).
      pre = pre.replace(/\d+$/, '');
      suf = suf.replace(/^\d+/, '');
      const tokens = [...first.tokens];
      tokens[i] = collapseStars(`${pre}*${suf}`);
      const to = join(first.head, tokens, first.seps);
      for (const g of group) used.add(g.r.resource);
      found.push({ key, g: { from: group.map((g) => g.r.resource).sort(), to, why: `differs between builds (${values.length} builds)` } });
    }
  }
  return found.sort((a, b) => (a.key < b.key ? -1 : 1)).map((f) => f.g);
}

/** Whether IAM pattern `a` matches everything pattern `b` matches (b's wildcards taken as literal characters). */
const coverCache = new Map<string, RegExp>();

export function covers(a: string, b: string): boolean {
  if (a === b) return true;
  if (!a.includes('*') && !a.includes('?')) return false;
  let re = coverCache.get(a);
  if (re) return re.test(b);
  re = new RegExp(
    `^${a
      .split(/(\$\{[*?$]\})/)
      .map((part) => (/^\$\{[*?$]\}$/.test(part) ? part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')))
      .join('')}$`,
    's',
  );
  if (coverCache.size > 10_000) coverCache.clear();
  coverCache.set(a, re);
  return re.test(b);
}

/** Drops patterns that another pattern of the list already covers. */
export function minimizePatterns(patterns: string[]): string[] {
  const uniq = [...new Set(patterns)].sort();
  // Only a pattern with a wildcard can cover another: compare against those, not every pair.
  const wild = uniq.filter((q) => /[*?]/.test(q.replace(/\$\{[*?$]\}/g, '')));
  return uniq.filter((p) => !wild.some((q) => q !== p && covers(q, p)));
}
