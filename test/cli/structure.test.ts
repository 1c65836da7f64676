// The code's structure as a rule (issue 21): no import cycles in src/ and cli/ (type-only imports and import()
// count), src/ never imports cli/, and every import is one that the layout map in docs/how-it-works.md allows.
// The graph comes from dpdm; the checks themselves are tested on small made-up graphs first.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCircular } from 'dpdm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importGraph, mapViolations, parseLayoutMap, rowOf, type Edge } from '../support/import-map.js';
import { ROOT, repoPath } from '../support/paths.js';

const MAP_DOC = repoPath('docs', 'how-it-works.md');

describe('the checks catch what they are for', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cbi-structure-'));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } }));
    // a.ts and b.ts import each other, b only for a type; c.ts loads a lazily and a imports c: both cycles.
    writeFileSync(join(dir, 'a.ts'), "import { b } from './b.js';\nimport './c.js';\nexport const a = b + 1;\n");
    writeFileSync(join(dir, 'b.ts'), "import type { A } from './types.js';\nimport type { a } from './a.js';\nexport const b = 1 as A;\nexport type B = typeof a;\n");
    writeFileSync(join(dir, 'types.ts'), 'export type A = number;\n');
    writeFileSync(join(dir, 'c.ts'), "export async function load() { return import('./a.js'); }\n");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a type-only import and an import() each close a cycle', async () => {
    const { tree } = await importGraph(dir, ['*.ts']);
    const cycles = parseCircular(tree).map((c) => [...c].sort().join(' '));
    expect(cycles).toContain('a.ts b.ts');
    expect(cycles).toContain('a.ts c.ts');
  });

  it('an import the map does not allow, a lazy-only path imported statically and an unmapped file are reported', () => {
    const map = parseLayoutMap(
      [
        '## Layout',
        '| Folder | What | May import |',
        '| --- | --- | --- |',
        '| `src/model.ts` | core: values | core only |',
        '| `src/low/` | low | core |',
        '| `src/high/` | high | core, `src/low/` |',
        '| `cli/commands/` | commands | `cli/run/` (only through `import()`) |',
        '| `cli/run/` | runners | `src/` |',
        '## Next',
      ].join('\n'),
    );
    const edges: Edge[] = [
      { from: 'src/high/h.ts', to: 'src/low/l.ts', dynamic: false },
      { from: 'src/high/h.ts', to: 'src/model.ts', dynamic: false },
      { from: 'src/low/l.ts', to: 'src/high/h.ts', dynamic: false },
      { from: 'src/low/l.ts', to: 'cli/run/r.ts', dynamic: false },
      { from: 'cli/commands/c.ts', to: 'cli/run/r.ts', dynamic: true },
      { from: 'cli/commands/d.ts', to: 'cli/run/r.ts', dynamic: false },
      { from: 'cli/run/r.ts', to: 'src/high/h.ts', dynamic: false },
    ];
    const files = ['src/high/h.ts', 'src/low/l.ts', 'src/model.ts', 'cli/run/r.ts', 'cli/commands/c.ts', 'cli/commands/d.ts', 'src/other.ts'];
    expect(mapViolations(map, files, edges)).toEqual([
      'src/other.ts is on no row of the map',
      'src/low/l.ts imports src/high/h.ts, which its row does not allow',
      'src/low/l.ts imports cli/run/r.ts, which its row does not allow',
      'cli/commands/d.ts imports cli/run/r.ts, which its row does not allow',
    ]);
  });
});

describe('src/ and cli/', async () => {
  const { tree, files, edges } = await importGraph(ROOT, ['src/**/*.ts', 'cli/**/*.ts']);
  const map = parseLayoutMap(readFileSync(MAP_DOC, 'utf8'));

  it('sees the whole code base', () => {
    expect(files.filter((f) => f.startsWith('src/')).length).toBeGreaterThan(100);
    expect(files).toContain('cli/main.ts');
    // the lazy loading of runners is seen, so a cycle through it would be too
    expect(edges).toContainEqual({ from: 'cli/commands/generate.ts', to: 'cli/run/generate.ts', dynamic: true });
  });

  it('has no import cycle', () => {
    expect(parseCircular(tree).map((c) => c.join(' -> '))).toEqual([]);
  });

  it('src/ never imports cli/', () => {
    expect(edges.filter((e) => e.from.startsWith('src/') && e.to.startsWith('cli/'))).toEqual([]);
  });

  it('the layout map names only paths that exist, and places every file', () => {
    expect(map.length).toBeGreaterThan(10);
    const named = map.flatMap((r) => [...r.members, ...r.allowed, ...r.lazy]).filter((p) => !p.includes('*'));
    expect(named.filter((p) => !existsSync(repoPath(p)))).toEqual([]);
    expect(files.filter((f) => !rowOf(map, f))).toEqual([]);
  });

  it('every import is one the layout map allows', () => {
    expect(mapViolations(map, files, edges)).toEqual([]);
  });
});
