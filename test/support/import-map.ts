// The layout map of docs/how-it-works.md as a rule: which folder each file belongs to, and which of its imports
// the map does not allow. The import graph itself comes from dpdm (type-only imports and import() included).
import { parseDependencyTree, type DependencyTree } from 'dpdm';

export interface MapRow {
  /** The paths the row names: a folder ending in "/", a file, or a glob such as "cli/*.ts". */
  members: string[];
  /** What files of the row may import, besides each other. */
  allowed: string[];
  /** Paths allowed only through a dynamic import(). */
  lazy: string[];
}

export interface Edge {
  from: string;
  to: string;
  dynamic: boolean;
}

const CORE_WORD = 'core';

/** Rows of the "| Folder | What it holds | May import |" table under "## Layout". */
export function parseLayoutMap(markdown: string): MapRow[] {
  const section = markdown.split(/^## Layout$/m)[1]?.split(/^## /m)[0] ?? '';
  const paths = (cell: string): string[] => [...cell.matchAll(/`((?:src|cli)\/[^`]*)`/g)].map((m) => m[1]);
  const rows = section
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .map((l) => l.split('|').slice(1, -1));
  const core = rows.find((cells) => cells[1].trim().startsWith(`${CORE_WORD}:`));
  const corePaths = core ? paths(core[0]) : [];
  return rows.map(([folder, , may]) => {
    // "`cli/run/` (only through `import()`)": a path followed by that remark is allowed lazily only.
    const lazy = [...may.matchAll(/`((?:src|cli)\/[^`]*)` \(only through `import\(\)`\)/g)].map((m) => m[1]);
    const named = paths(may).filter((p) => !lazy.includes(p));
    const usesCore = may.split(',').some((part) => part.trim().split(' ')[0] === CORE_WORD);
    return { members: paths(folder), allowed: [...(usesCore ? corePaths : []), ...named], lazy };
  });
}

/** Whether a map path ("src/iam/", "src/pipeline.ts", "cli/*.ts") covers a file; "src/" covers all of src. */
export function covers(path: string, file: string): boolean {
  if (path.endsWith('/')) return file.startsWith(path);
  if (path.includes('*')) {
    const re = new RegExp(`^${path.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`);
    return re.test(file);
  }
  return file === path;
}

/** The row a file belongs to: the one whose member path covers it most specifically. */
export function rowOf(rows: MapRow[], file: string): MapRow | undefined {
  let best: { row: MapRow; length: number } | undefined;
  for (const row of rows) {
    for (const m of row.members) {
      if (covers(m, file) && (!best || m.length > best.length)) best = { row, length: m.length };
    }
  }
  return best?.row;
}

/** One line per import the map does not allow, and per file the map does not place. */
export function mapViolations(rows: MapRow[], files: string[], edges: Edge[]): string[] {
  const out: string[] = [];
  for (const f of files) if (!rowOf(rows, f)) out.push(`${f} is on no row of the map`);
  for (const e of edges) {
    const from = rowOf(rows, e.from);
    if (!from || from === rowOf(rows, e.to)) continue;
    if (from.allowed.some((p) => covers(p, e.to))) continue;
    if (e.dynamic && from.lazy.some((p) => covers(p, e.to))) continue;
    out.push(`${e.from} imports ${e.to}${e.dynamic ? ' (import())' : ''}, which its row does not allow`);
  }
  return out;
}

/** The import graph of the given globs, relative to root; refuses relative imports it cannot resolve. */
export async function importGraph(root: string, globs: string[]): Promise<{ tree: DependencyTree; files: string[]; edges: Edge[] }> {
  const tree = await parseDependencyTree(globs, { cwd: root, context: root, transform: false, skipDynamicImports: false });
  // the tree also has node: built-ins and packages as keys: the graph is the files under root only
  const files = Object.keys(tree).filter((f) => tree[f] !== null && !f.startsWith('node_modules/') && !f.startsWith('node:')).sort();
  const inGraph = new Set(files);
  const edges: Edge[] = [];
  for (const f of files) {
    for (const d of tree[f] ?? []) {
      if (d.id === null) {
        if (d.request.startsWith('.')) throw new Error(`${f}: cannot resolve ${d.request}`);
        continue;
      }
      if (!inGraph.has(d.id)) continue;
      edges.push({ from: f, to: d.id, dynamic: d.kind === 'DynamicImport' });
    }
  }
  return { tree, files, edges };
}
