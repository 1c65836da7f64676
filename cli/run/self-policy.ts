// `self-policy`: the tool's own least-privilege policy on stdout (nothing for local files without --diff).
import type { SelfPolicyFlags } from '../commands/self-policy.js';
import { selfPolicy } from '../../src/synthesis/self-policy.js';

export function runSelfPolicy(flags: SelfPolicyFlags): void {
  const source = flags.source ?? 'lookup';
  const policy = selfPolicy({ ...flags, source });
  if (!policy) {
    process.stderr.write('--source files reads local files and needs no AWS permissions (add --diff for what `diff --role` reads)\n');
    return;
  }
  process.stdout.write(`${JSON.stringify(policy, null, 2)}\n`);
}
