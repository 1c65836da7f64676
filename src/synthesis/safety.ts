// The last gate before a policy is written: no "*" or "service:*" actions, no resource-scoped action on "*"
// when the trail named its resource, and no resource pattern wider than the evidence: every wildcard pattern
// must be a proven per-build generalization, a companion the IAM reference implies (log-group:X:*), or the
// resource of a fact itself (a pattern from the project configuration, or what the event allowed when it did
// not name the resource). Overridable only by --allow-broad, and always explained.
import type { Fact, PolicyDocument } from '../model.js';

export interface SafetyProblem {
  sid?: string;
  problem: string;
}

const asList = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Whether a resource holds an IAM wildcard of its own (escaped `${*}` and `${?}` are literals). */
const isPattern = (r: string): boolean => /[*?]/.test(r.replace(/\$\{[*?$]\}/g, ''));

export function checkSafety(policies: PolicyDocument[], facts: Fact[], justified: Iterable<string> = []): SafetyProblem[] {
  const problems: SafetyProblem[] = [];
  const evidenced = new Set<string>(justified);
  for (const f of facts) evidenced.add(f.resource);
  const knownScoped = new Set(facts.filter((f) => f.resourceKnown && f.resource !== '*').map((f) => f.action.toLowerCase()));
  for (const doc of policies) {
    for (const s of doc.Statement) {
      if (s.Effect !== 'Allow') continue;
      if (s.NotAction !== undefined) problems.push({ sid: s.Sid, problem: 'allows NotAction, which grants every other action' });
      for (const a of asList(s.Action)) {
        if (a === '*' || /^[^:]+:\*$/.test(a)) problems.push({ sid: s.Sid, problem: `allows the wildcard action ${a}` });
      }
      for (const r of asList(s.Resource)) {
        if (r !== '*' && isPattern(r) && !evidenced.has(r)) {
          problems.push({ sid: s.Sid, problem: `grants ${asList(s.Action).join(', ')} on ${r}, a pattern that matches names no build used and that is not a proven per-build identifier` });
        }
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
