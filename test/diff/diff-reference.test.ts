// The AWS-documented CodeBuild policies in ../shared/reference/codebuild as real-world input: each one
// diffed with itself is unchanged, and with every resource scoped down it only narrows.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../src/model.js';
import { diffDocuments } from '../../src/diff/diff.js';
import { renderMarkdown } from '../../src/diff/render-markdown.js';
import { sharedPath } from '../support/shared.js';

const DIR = sharedPath('reference/codebuild/');
const present = existsSync(DIR);

function policies(): Array<[string, PolicyDocument]> {
  const out: Array<[string, PolicyDocument]> = [];
  for (const f of readdirSync(DIR).filter((n) => n.endsWith('.json')).sort()) {
    const value = JSON.parse(readFileSync(join(DIR, f), 'utf8')) as PolicyDocument;
    // Only identity policies: a Statement list, no Principal (trust policies are not identity policies).
    if (Array.isArray(value?.Statement) && value.Statement.every((s) => s.Effect && !s.Principal && (s.Action || s.NotAction))) out.push([f, value]);
  }
  return out;
}

describe.skipIf(!present)('documented CodeBuild policies (../shared/reference/codebuild)', () => {
  it('finds documented policies to read', () => {
    expect(policies().length).toBeGreaterThan(3);
  });

  it('says unchanged for each policy against itself, and narrows when every resource is scoped down', async () => {
    for (const [name, doc] of policies()) {
      const same = await diffDocuments({
        current: { identity: [{ name, document: doc }] },
        proposed: { identity: [{ name, document: structuredClone(doc) }] },
        currentSource: name,
        proposedSource: name,
      });
      expect(same.verdict, name).toBe('unchanged');
      expect(same.textDiff, name).toBe('');
      const scoped: PolicyDocument = {
        ...doc,
        Statement: doc.Statement.map((s) => (s.Resource === '*' || (Array.isArray(s.Resource) && s.Resource.includes('*')) ? { ...s, Resource: 'arn:aws:s3:::scoped/*' } : s)),
      };
      const narrowed = await diffDocuments({ current: { identity: [{ name, document: doc }] }, proposed: { identity: [{ name, document: scoped }] }, currentSource: name, proposedSource: 'scoped' });
      expect(narrowed.verdict, name).not.toBe('widens');
      expect(renderMarkdown(narrowed).split('\n')[0]).toContain('safe');
    }
  });
});

if (!present) console.warn('diff-reference: ../shared/reference/codebuild is absent; skipping the documented-policy checks');
