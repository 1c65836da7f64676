// Where in an ARN a per-build identifier may sit. The IAM reference gives every resource type an ARN template
// ("arn:${Partition}:s3:::${BucketName}/${ObjectName}"), so it knows which component of an ARN is which. Only
// the components listed in data/per-build-slots.json (object keys, log stream names, report IDs, ...) hold
// values a build makes for itself; the names of buckets, roles, keys, functions, secrets, parameters and every
// other component stay exact whatever their shape. An ARN that matches no template of its action is all name.
import slotTable from './data/per-build-slots.json' with { type: 'json' };
import { compileTemplate } from '../translation/arn-template.js';
import { lookupAction, resourceTypeArn } from '../translation/iam-reference.js';
import { arrayOf, loadTable, object, text } from '../translation/table-check.js';

export interface Slot {
  start: number;
  end: number;
  /** e.g. "s3 object ObjectName". */
  where: string;
  why: string;
}

export interface SlotEntry {
  service: string;
  resourceType: string;
  variable: string;
  why: string;
  source: string;
}

export interface PerBuildSlotsTable {
  about?: string;
  slots: SlotEntry[];
}
export const perBuildSlotsTable = object<PerBuildSlotsTable>(
  { slots: arrayOf(object<SlotEntry>({ service: text, resourceType: text, variable: text, why: text, source: text }, {})) },
  { about: text },
);

const entries = loadTable('src/synthesis/data/per-build-slots.json', slotTable, perBuildSlotsTable).slots;
const regexCache = new Map<string, RegExp>();

/** The template's regex with capture indices (the `d` flag), one group per variable. */
function indexedRegex(template: string): { re: RegExp; variables: string[] } {
  const compiled = compileTemplate(template);
  let re = regexCache.get(template);
  if (!re) regexCache.set(template, (re = new RegExp(compiled.regex.source, 'd')));
  return { re, variables: compiled.variables };
}

/**
 * The per-build slots of `resource` as a resource of `action`: the spans of the template variables listed in
 * the slot table, for the resource types of the action whose template the ARN matches. When several of the
 * action's types match, a span counts only if every match agrees (the stricter reading wins).
 */
export function perBuildSlots(action: string, resource: string): Slot[] {
  const i = action.indexOf(':');
  const ref = i > 0 ? lookupAction(action.slice(0, i), action.slice(i + 1)) : undefined;
  let agreed: Slot[] | undefined;
  for (const type of ref?.resourceTypes ?? []) {
    if (!type.arn) continue;
    const { re, variables } = indexedRegex(type.arn);
    const m = re.exec(resource);
    if (!m?.indices) continue;
    const slots: Slot[] = [];
    variables.forEach((v, k) => {
      const entry = entries.find((e) => e.service === ref?.service && e.resourceType === type.name.toLowerCase() && e.variable === v);
      const span = m.indices?.[k + 1];
      if (entry && span && resourceTypeArn(entry.service, entry.resourceType) === type.arn) {
        slots.push({ start: span[0], end: span[1], where: `${entry.service} ${entry.resourceType} ${entry.variable}`, why: entry.why });
      }
    });
    agreed = agreed === undefined ? slots : agreed.filter((a) => slots.some((s) => s.start === a.start && s.end === a.end));
  }
  return agreed ?? [];
}
