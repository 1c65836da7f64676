// `self-policy`: the tool's own least-privilege policy on stdout (nothing for local files without --diff).
import type { SelfPolicyFlags } from '../shared/flags.js';
import { auditSelfPolicy } from '../../src/audit/self-policy.js';
import { selfPolicy } from '../../src/self-policy/self-policy.js';

export function runSelfPolicy(flags: SelfPolicyFlags): void {
  if (flags.for === 'audit') {
    process.stdout.write(`${JSON.stringify(auditSelfPolicy(flags), null, 2)}\n`);
    return;
  }
  const source = flags.source ?? 'lookup';
  const policy = selfPolicy({ ...flags, source });
  if (!policy) {
    process.stderr.write('--source files reads local files and needs no AWS permissions (add --diff for what `diff --role` reads)\n');
    return;
  }
  process.stdout.write(`${JSON.stringify(policy, null, 2)}\n`);
}
