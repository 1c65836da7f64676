// Golden translation cases: one JSON file per behaviour in test/cases/translation/ ({description, source?, record,
// expected}). `source` names the AWS documentation page(s) that state the rule the case checks. `expected.permissions` lists exactly the permissions, in order; fields left out of an expected
// permission are not compared (origin defaults to "observed").
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TrailRecord } from '../../src/model.js';
import { translate } from '../../src/translation/translate.js';
import { repoPath } from '../support/paths.js';

interface Case {
  description: string;
  source?: string;
  record: TrailRecord;
  expected: {
    kind: string;
    outcome?: string;
    permissions?: Array<{ action: string; resource: string; origin?: string; context?: Record<string, string> }>;
    unobserved?: Array<{ action: string; resource: string }>;
  };
}

const dir = repoPath('test/cases/translation/');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

describe('translation golden cases', () => {
  it('has cases', () => expect(files.length).toBeGreaterThan(20));
  for (const file of files) {
    const c = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Case;
    it(`${file}: ${c.description}`, () => {
      // A cited rule names where it comes from, so a reviewer can check it: an AWS documentation page (by URL or
      // by guide and section), the SDK->IAM map, or the project's table that states a choice.
      if (c.source !== undefined) {
        expect(c.source).toMatch(/^https:\/\/docs\.aws\.amazon\.com\/\S+|API reference|[Uu]ser guide|[Dd]eveloper guide|SDK->IAM map|src\/translation\/data\/\S+\.json/);
      }
      const t = translate(c.record);
      expect(t.kind).toBe(c.expected.kind);
      if (t.kind !== 'call') return;
      expect(t.outcome).toBe(c.expected.outcome);
      expect(t.permissions.map((p) => ({ action: p.action, resource: p.resource, origin: p.origin, context: p.context }))).toEqual(
        (c.expected.permissions ?? []).map((p) => ({ action: p.action, resource: p.resource, origin: p.origin ?? 'observed', context: p.context })),
      );
      if (c.expected.unobserved) expect(t.unobserved.map((u) => ({ action: u.action, resource: u.resource }))).toEqual(c.expected.unobserved);
    });
  }
});
