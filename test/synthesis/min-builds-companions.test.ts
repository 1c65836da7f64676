// --min-builds drops what too few builds used. A companion that CloudTrail never records (origin "implied") is
// granted only with a call that implies it: when --min-builds drops every such call, the companion goes too,
// even if its own build count (merged over several calls on resource "*") reaches the bar.
import { describe, expect, it } from 'vitest';
import type { Fact } from '../../src/model.js';
import { synthesize } from '../../src/synthesis/synthesize.js';
import { evidence, fact, ACCOUNT } from '../support/facts.js';

const B1 = 'demo:11111111-1111-4111-8111-111111111111';
const B2 = 'demo:22222222-2222-4222-8222-222222222222';
const domain = (name: string): string => `arn:aws:codeartifact:us-east-1:${ACCOUNT}:domain/${name}`;
const bearer = (build: string): Fact =>
  fact('sts:GetServiceBearerToken', '*', [build], { origin: 'implied', context: { 'sts:AWSServiceName': 'codeartifact.amazonaws.com' }, because: 'implied by codeartifact:GetAuthorizationToken' });
const granted = (facts: Fact[], minBuilds: number): string[] =>
  synthesize(evidence(facts), { resources: 'exact', minBuilds }).policies.flatMap((p) => p.Statement.flatMap((s) => [s.Action].flat()).filter((a): a is string => typeof a === 'string'));

describe('--min-builds and implied companions', () => {
  it('drops the companion when every call that implies it is dropped', () => {
    // Two domains, each used in one build: each GetAuthorizationToken has 1 build, the merged bearer-token need 2.
    const facts = [
      fact('codeartifact:GetAuthorizationToken', domain('a'), [B1]),
      fact('codeartifact:GetAuthorizationToken', domain('b'), [B2]),
      bearer(B1),
      bearer(B2),
    ];
    const actions = granted(facts, 2);
    expect(actions).not.toContain('codeartifact:GetAuthorizationToken');
    expect(actions).not.toContain('sts:GetServiceBearerToken');
    const s = synthesize(evidence(facts), { resources: 'exact', minBuilds: 2 });
    expect(s.notGranted.map((n) => n.action)).toContain('sts:GetServiceBearerToken');
  });

  it('keeps the companion while a call that implies it is kept', () => {
    const facts = [
      fact('codeartifact:GetAuthorizationToken', domain('a'), [B1, B2]),
      fact('codeartifact:GetAuthorizationToken', domain('b'), [B2]),
      bearer(B1),
      bearer(B2),
    ];
    const actions = granted(facts, 2);
    expect(actions).toContain('codeartifact:GetAuthorizationToken');
    expect(actions).toContain('sts:GetServiceBearerToken');
  });
});
