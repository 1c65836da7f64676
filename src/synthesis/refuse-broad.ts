// The safety gate's verdict as an error: a policy broader than the evidence is refused unless the caller
// chose to accept it (the CLI's --allow-broad), and then it is written with a warning, never silently.
import { TooBroad, opt, say } from '../errors.js';
import type { SafetyProblem } from './safety.js';

/** Throws TooBroad listing every problem (Sid and why) when there is any. */
export function refuseBroad(problems: readonly SafetyProblem[]): void {
  if (problems.length === 0) return;
  const broad = problems.map((p) => `${p.sid ?? 'a statement'} ${p.problem}`).join('; ');
  throw new TooBroad(say`refusing to write a broad policy: ${broad} (pass ${opt('allowBroad')} to write it anyway)`, {
    option: 'allowBroad',
    problems: problems.map((p) => ({ ...(p.sid !== undefined && { sid: p.sid }), problem: p.problem })),
  });
}
