/**
 * Extracts the example CloudTrail records of the AWS documentation sources (the awsdocs/* guides listed in
 * scripts/doc-record-sources.json, each pinned to the last commit that still had its doc_source/) into a record
 * set for the translation conformance test (test/translation/conformance-corpus.test.ts):
 *
 *   <out>/<service>.json     CloudTrail {"Records": [...]} files, one per eventSource prefix
 *   <out>/PROVENANCE.json    per file and record index: repository, commit, path, code block and docs page URL
 *   <out>/README.md          what this is, the sources' licences, how it was made
 *
 * Only records are kept, never prose. A record is a JSON object with eventVersion, eventName and an eventSource ending in .amazonaws.com, taken
 * from a fenced code block (alone, in a {"Records": [...]} list, or as the detail of an EventBridge event).
 * Documentation JSON often has stray commas or "..." elisions; parseLenient repairs those (no value changes).
 * Blocks that still do not parse are counted and left out (--list-unparsed names them). Identical records on several pages are kept once.
 *
 * Run (after mirroring the repositories with the search tool's fetch):
 *   npx tsx scripts/extract-doc-records.ts [--mirror /work/.mirror] [--out .bench/doc-records] [--list-unparsed]
 *
 * The records are not committed to this repository: they come from fetched snapshots, which stay out of commits.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { servicePrefix } from '../src/translation/service-prefix.js';

interface Source { repo: string; commit: string; docs: string; license: string }
interface Provenance { repository: string; commit: string; path: string; block: number; url: string | null }

const ROOT = resolve(import.meta.dirname, '..');
const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
};

const git = (dir: string, ...args: string[]): string => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });

/** The bodies of the fenced code blocks of a markdown page (fences may be indented, as in lists). */
export function codeBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  let open: { fence: string; lines: string[] } | undefined;
  for (const line of markdown.split('\n')) {
    const m = /^\s*(```+|~~~+)/.exec(line);
    if (open) {
      if (m && m[1][0] === open.fence[0] && m[1].length >= open.fence.length && line.trim() === m[1]) {
        blocks.push(open.lines.join('\n'));
        open = undefined;
      } else open.lines.push(line);
    } else if (m) open = { fence: m[1], lines: [] };
  }
  return blocks;
}

/** The top-level {...} spans of a text (string-aware brace matching). */
export function objectSpans(text: string): string[] {
  const spans: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') {
      if (depth++ === 0) start = i;
    } else if (c === '}' && depth > 0 && --depth === 0) spans.push(text.slice(start, i + 1));
  }
  return spans;
}

/**
 * JSON.parse, then once more after the repairs that documentation JSON commonly needs and that change no value:
 * elision lines ("..."), trailing or doubled commas, and a missing comma at a line break between two members.
 * The repairs look only outside strings, so a value such as "a,}" is never altered.
 */
export function parseLenient(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    try {
      return JSON.parse(repairJson(text.replace(/^[ \t]*(\.\.\.|\u2026)[ \t]*,?[ \t]*$/gm, '')));
    } catch {
      return undefined;
    }
  }
}

function repairJson(text: string): string {
  let out = '';
  let inString = false;
  const nextSignificant = (from: number): string => {
    let j = from;
    while (j < text.length && /\s/.test(text[j])) j++;
    return text[j] ?? '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      // A member starts on a new line right after a value with no comma between them.
      const prev = out.trimEnd();
      if (/[}\]"\d]$|\b(true|false|null)$/.test(prev) && /\n\s*$/.test(out) && !/[,:[{]$/.test(prev)) out = `${prev},${out.slice(prev.length)}`;
      inString = true;
      out += c;
      continue;
    }
    if (c === ',') {
      const next = nextSignificant(i + 1);
      if (next === '}' || next === ']' || next === ',') continue;
    }
    out += c;
  }
  return out;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v) &&
  // CloudTrail's eventSource is a service endpoint; S3 notifications and Lambda payloads ("aws:s3") are not records.
  /\.amazonaws\.com$/.test(String((v as Record<string, unknown>).eventSource)) &&
  typeof (v as Record<string, unknown>).eventName === 'string' &&
  'eventVersion' in (v as Record<string, unknown>);

/** The CloudTrail records a parsed JSON value holds: itself, its Records[], or an EventBridge event's detail. */
export function recordsIn(v: unknown): Array<Record<string, unknown>> {
  if (isRecord(v)) return [v];
  if (!v || typeof v !== 'object') return [];
  const o = v as Record<string, unknown>;
  if (Array.isArray(o.Records)) return o.Records.filter(isRecord);
  if (isRecord(o.detail)) return [o.detail];
  return [];
}

function main(): void {
  const MIRROR = arg('--mirror', '/work/.mirror');
  const OUT = resolve(arg('--out', join(ROOT, '.bench', 'doc-records')));
  const sources = JSON.parse(readFileSync(join(ROOT, 'scripts', 'doc-record-sources.json'), 'utf8')) as Source[];
  const bySource = new Map<string, Array<{ record: Record<string, unknown>; from: Provenance }>>();
  const seen = new Set<string>();
  let pages = 0;
  let unparsed = 0;
  let duplicates = 0;
  const missing: string[] = [];
  for (const src of sources) {
    const dir = join(MIRROR, src.repo.replace('/', '+'), 'repo');
    if (!existsSync(dir)) {
      missing.push(src.repo);
      continue;
    }
    let files: string[] = [];
    try {
      files = git(dir, 'grep', '-l', 'eventVersion', src.commit, '--', '*.md')
        .split('\n')
        .filter(Boolean)
        .map((l) => l.slice(src.commit.length + 1))
        .sort();
    } catch {
      files = []; // git grep exits 1 when nothing matches
    }
    for (const path of files) {
      pages++;
      const md = git(dir, 'show', `${src.commit}:${path}`);
      const page = /^doc_source\/[^/]+\.md$/.test(path) ? `${src.docs}${path.slice('doc_source/'.length, -3)}.html` : null;
      codeBlocks(md).forEach((block, blockIndex) => {
        if (!block.includes('eventVersion')) return;
        for (const span of objectSpans(block)) {
          if (!span.includes('eventVersion')) continue;
          const parsed = parseLenient(span);
          if (parsed === undefined) {
            unparsed++;
            if (process.argv.includes('--list-unparsed')) console.log(`unparsed: ${src.repo} ${path} block ${blockIndex}`);
            continue;
          }
          for (const record of recordsIn(parsed)) {
            const key = JSON.stringify(record);
            if (seen.has(key)) {
              duplicates++;
              continue;
            }
            seen.add(key);
            const prefix = servicePrefix(String(record.eventSource)).replace(/[^a-z0-9.-]/gi, '_');
            const list = bySource.get(prefix) ?? [];
            list.push({ record, from: { repository: src.repo, commit: src.commit, path, block: blockIndex, url: page } });
            bySource.set(prefix, list);
          }
        }
      });
    }
  }
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const provenance: Record<string, Provenance[]> = {};
  let total = 0;
  for (const prefix of [...bySource.keys()].sort()) {
    const list = bySource.get(prefix) ?? [];
    const file = `${prefix}.json`;
    writeFileSync(join(OUT, file), `${JSON.stringify({ Records: list.map((x) => x.record) }, null, 2)}\n`);
    provenance[file] = list.map((x) => x.from);
    total += list.length;
  }
  writeFileSync(join(OUT, 'PROVENANCE.json'), `${JSON.stringify({ sources, records: provenance }, null, 2)}\n`);
  const licenses = [...new Set(sources.map((s) => s.license))].sort();
  writeFileSync(
    join(OUT, 'README.md'),
    [
      '# AWS documentation example CloudTrail records',
      '',
      `${total} distinct records over ${bySource.size} event sources, extracted by scripts/extract-doc-records.ts from`,
      `${pages} pages of ${sources.length - missing.length} awsdocs/* repositories (each at the commit in PROVENANCE.json).`,
      'Records only; PROVENANCE.json gives each record\'s repository, commit, path, code block and docs page.',
      '',
      'Licences of the source repositories (see each repository\'s LICENSE files at the pinned commit):',
      ...licenses.map((l) => `- ${l}: ${sources.filter((s) => s.license === l).length} repositories`),
      '',
    ].join('\n'),
  );
  console.log(
    `${total} records (${bySource.size} event sources) from ${pages} pages of ${sources.length - missing.length} repositories; ` +
      `${duplicates} duplicates kept once; ${unparsed} JSON blocks that do not parse left out` +
      (missing.length ? `; not mirrored: ${missing.join(', ')}` : ''),
  );
  console.log(`written to ${OUT}`);
}

// Run as a script only (the test imports the parsing functions).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
