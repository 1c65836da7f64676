// The last gate before a policy is written: no "*" or "service:*" actions, and no resource-scoped action on
// "*" when the trail named its resource. Overridable only by --allow-broad, and always explained.
import type { Fact, PolicyDocument } from '../model.js';

export interface SafetyProblem {
  sid?: string;
  problem: string;
}

const asList = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export function checkSafety(policies: PolicyDocument[], facts: Fact[]): SafetyProblem[] {
  const problems: SafetyProblem[] = [];
  const knownScoped = new Set(facts.filter((f) => f.resourceKnown && f.resource !== '*').map((f) => f.action.toLowerCase()));
  for (const doc of policies) {
    for (const s of doc.Statement) {
      if (s.Effect !== 'Allow') continue;
      if (s.NotAction !== undefined) problems.push({ sid: s.Sid, problem: 'allows NotAction, which grants every other action' });
      for (const a of asList(s.Action)) {
        if (a === '*' || /^[^:]+:\*$/.test(a)) problems.push({ sid: s.Sid, problem: `allows the wildcard action ${a}` });
      }
      if (asList(s.Resource).includes('*')) {
        for (const a of asList(s.Action)) {
          if (knownScoped.has(a.toLowerCase())) problems.push({ sid: s.Sid, problem: `grants ${a} on "*" although the trail named its resources` });
        }
      }
    }
  }
  return problems;
}
