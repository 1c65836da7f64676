// Who may assume the role: compares the Allow statements of two trust policies as (principal, action,
// conditions) triples. Deny statements in trust policies are rare and are not modelled.
import type { PolicyDocument } from '../model.js';
import { conditionEntries, conditionsImply, conditionText, type ConditionEntry } from './conditions.js';
import { actionMatches } from '../iam/glob.js';
import type { TrustDiff } from './report.js';

interface TrustEntry {
  principal: string;
  action: string;
  conditions: ConditionEntry[];
}

const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

function entries(doc: PolicyDocument): TrustEntry[] {
  const out: TrustEntry[] = [];
  for (const st of doc.Statement) {
    if (st.Effect !== 'Allow') continue;
    const principals =
      st.Principal === '*'
        ? ['*']
        : Object.entries(st.Principal ?? {}).flatMap(([type, ids]) => list(ids).map((id) => (id === '*' ? '*' : `${type}:${id}`)));
    const conditions = conditionEntries(st.Condition);
    for (const principal of principals) for (const action of list(st.Action)) out.push({ principal, action, conditions });
  }
  return out;
}

const text = (e: TrustEntry): string =>
  `${e.principal} ${e.action}${e.conditions.length ? ` if ${e.conditions.map(conditionText).join(' and ')}` : ''}`;

function covers(outer: TrustEntry, inner: TrustEntry): boolean {
  const principalOk = outer.principal === '*' || outer.principal === inner.principal;
  const actionOk = outer.action === inner.action || (!/[*?]/.test(inner.action) && actionMatches(outer.action, inner.action)) || outer.action === '*';
  return principalOk && actionOk && conditionsImply(inner.conditions, outer.conditions);
}

export function compareTrust(current: PolicyDocument, proposed: PolicyDocument): TrustDiff {
  const now = entries(current);
  const next = entries(proposed);
  return {
    widened: [...new Set(next.filter((p) => !now.some((c) => covers(c, p))).map(text))].sort(),
    narrowed: [...new Set(now.filter((c) => !next.some((p) => covers(p, c))).map(text))].sort(),
  };
}
