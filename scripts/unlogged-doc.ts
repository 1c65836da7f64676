/**
 * The section of docs/translation.md that lists src/translation/data/unlogged.json (what CloudTrail cannot show),
 * generated from the table so the two cannot drift: `npx tsx scripts/unlogged-doc.ts` rewrites it between the
 * markers; test/translation/unlogged-table.test.ts fails when the doc is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { UnloggedTable } from '../src/translation/table-schemas.js';
import { UNLOGGED } from '../src/translation/tables.js';

export const DOC = new URL('../docs/translation.md', import.meta.url).pathname;
export const START = '<!-- generated from src/translation/data/unlogged.json by scripts/unlogged-doc.ts: do not edit -->';
export const END = '<!-- end of generated list -->';

const code = (s: string): string => `\`${s}\``;
const sources = (s: string): string =>
  s
    .split(/;\s*/)
    .map((u) => (/^https:\/\/[^\s<>]+$/.test(u) ? `<${u}>` : u))
    .join(', ');
const cell = (s: string): string => s.replace(/\|/g, '\\|');

export function renderUnloggedSection(t: UnloggedTable): string {
  const out: string[] = [START, '', '**Implied by a logged call**', '', '| Logged call | Implied permission | Resource | Granted | Reason | Source |', '|---|---|---|---|---|---|'];
  for (const [call, list] of Object.entries(t.implied)) {
    for (const c of list) {
      const condition = c.context ? `, condition ${Object.entries(c.context).map(([k, v]) => `${code(k)} = ${code(v)}`).join(', ')}` : '';
      const when = c.if ? ` (when the request has ${code(c.if)})` : '';
      const resource = c.resource === 'same' ? "the call's own resource" : code(c.resource);
      out.push(`| ${code(call)}${when} | ${code(c.action)}${condition} | ${resource} | ${c.grant ? 'yes, origin `implied`' : 'no, listed as unobserved'} | ${cell(c.reason)} | ${sources(c.source)} |`);
    }
  }
  out.push('', '**Never logged** (`diff` calls these *unknown*, never *unused*)', '', '| Actions | Reason | Source |', '|---|---|---|');
  for (const g of t.neverLogged) out.push(`| ${g.actions.map(code).join(', ')} | ${cell(g.reason)} | ${sources(g.source)} |`);
  out.push('', '**What a project setting makes a build need** (`--project`/`--project-file`, origin `inferred`)', '', '| Need | Actions | Why | Source |', '|---|---|---|---|');
  for (const [name, n] of Object.entries(t.projectNeeds)) out.push(`| ${name} | ${n.actions.map(code).join(', ')} | ${n.because ? cell(n.because) : 'the project field itself'} | ${sources(n.source)} |`);
  const o = t.objectAccess;
  out.push(
    '',
    `**S3 object access without data events**: when the evidence has none of ${o.seen.map(code).join(', ')}, ${o.needs.map(code).join(' and ')} on ${code('<bucket>/*')} of every bucket the role used are listed as unobserved ("${o.reason}"). Source: ${sources(o.source)}.`,
    '',
    `**Event history** (\`--source lookup\`) warns: "${t.eventHistory.warning}". Source: ${sources(t.eventHistory.source)}.`,
    '',
    END,
  );
  return out.join('\n');
}

/** The doc with its generated section replaced by `section`. */
export function withSection(doc: string, section: string): string {
  const a = doc.indexOf(START);
  const b = doc.indexOf(END);
  if (a < 0 || b < a) throw new Error(`${DOC}: the markers of the generated unlogged list are missing`);
  return doc.slice(0, a) + section + doc.slice(b + END.length);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(DOC, withSection(readFileSync(DOC, 'utf8'), renderUnloggedSection(UNLOGGED)));
}
