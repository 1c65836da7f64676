// The benchmark corpus's ground truth: on `gen-corpus.py --size small`, the policy for the corpus's CodeBuild
// role inside its window has no missing and no extra actions (score.py), and "*" only for actions that
// support no resource-level permission.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lookupAction } from '../../src/translation/iam-reference.js';
import { hasShared, sharedMissing, sharedPath } from '../support/shared.js';
import { CLI } from '../support/paths.js';

const hasPython = spawnSync('python3', ['--version']).status === 0;

describe.skipIf(!hasShared || !hasPython)('benchmark corpus ground truth (score.py)', () => {
  it('no missing, no extra actions, and "*" only for actions without resource-level permissions', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cbiam-score-'));
    const corpus = join(dir, 'small');
    const g = spawnSync('python3', [sharedPath('bench/gen-corpus.py'), '--size', 'small', corpus], { encoding: 'utf8' });
    expect(g.status, g.stderr).toBe(0);
    const truth = JSON.parse(readFileSync(join(corpus, 'truth.json'), 'utf8')) as { roleArn: string; window: [string, string] };
    const out = join(dir, 'out');
    const r = spawnSync(process.execPath, [CLI, 'generate', '--logs', corpus, '--role', truth.roleArn, '--since', truth.window[0], '--until', truth.window[1], '--out', out, '--quiet'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const s = spawnSync('python3', [sharedPath('bench/score.py'), join(corpus, 'truth.json'), join(out, 'policy.json')], { encoding: 'utf8' });
    expect(s.status, s.stderr).toBe(0);
    const score = JSON.parse(s.stdout) as { missing: string[]; extra: Record<string, string>; actionsOnStar: string[]; fitsManagedPolicyLimit6144: boolean };
    console.log(`score.py: ${JSON.stringify({ missing: score.missing, extra: score.extra, actionsOnStar: score.actionsOnStar })}`);
    expect(score.missing).toEqual([]);
    // The ground truth holds what the trail shows; needs implied by observed calls (PutLogEvents on the streams
    // the builds created) are never in a trail, so they are the only extras allowed, and only as implied.
    const evidence = JSON.parse(readFileSync(join(out, 'evidence.json'), 'utf8')) as { statements: Array<{ actions: Array<{ action: string; origin: string | string[] }> }> };
    const implied = new Set(evidence.statements.flatMap((st) => st.actions).filter((a) => a.origin === 'implied').map((a) => a.action));
    expect(Object.keys(score.extra).filter((a) => !implied.has(a))).toEqual([]);
    expect([...implied]).toEqual(['logs:PutLogEvents']);
    expect(score.fitsManagedPolicyLimit6144).toBe(true);
    for (const a of score.actionsOnStar) {
      const [svc, name] = a.split(':');
      expect(lookupAction(svc, name)?.resourceTypes.filter((t) => t.arn).length, a).toBe(0);
    }
  });
});

if (!hasShared) console.warn(sharedMissing);
