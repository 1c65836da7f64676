// --no-infer: needs the calls imply but CloudTrail never records (origin "implied", such as PutLogEvents on
// every created stream) are left out of the policy. They stay in the evidence as unobserved, and a warning says
// so, because the next build will need them.
import type { Evidence } from '../model.js';

export function withoutImplied(ev: Evidence): Evidence {
  const implied = ev.facts.filter((f) => f.origin === 'implied');
  if (implied.length === 0) return ev;
  const listed = implied
    .filter((f) => f.outcome !== 'denied')
    .map((f) => ({ action: f.action, resource: f.resource, reason: `${f.because ?? 'implied by an observed call'} (left out: --no-infer)`, count: f.count }));
  return {
    ...ev,
    facts: ev.facts.filter((f) => f.origin !== 'implied'),
    unobserved: [...ev.unobserved, ...listed],
    warnings: [
      ...ev.warnings,
      `--no-infer: ${listed.length} implied need(s) of observed calls (e.g. ${listed[0]?.action ?? implied[0].action}) are left out of the policy; the next build is likely to need them`,
    ],
  };
}
