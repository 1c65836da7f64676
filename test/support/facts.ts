// Facts and evidence for synthesis tests, built by hand: an allowed, observed call in us-east-1 of account
// 123456789012 unless `over` says otherwise.
import type { Evidence, Fact } from '../../src/model.js';

export const ACCOUNT = '123456789012';

export function fact(action: string, resource: string, builds: string[], over: Partial<Fact> = {}): Fact {
  return {
    action,
    resource,
    resourceKnown: resource !== '*',
    origin: 'observed',
    context: {},
    outcome: 'allowed',
    count: builds.length || 1,
    builds,
    firstSeen: '2024-03-01T10:00:00Z',
    lastSeen: '2024-03-01T11:00:00Z',
    regions: ['us-east-1'],
    accounts: [ACCOUNT],
    sampleEventIds: ['e1'],
    ...over,
  };
}

/** Evidence holding `facts`; its builds are the given ones, or those the facts name. */
export function evidence(facts: Fact[], builds?: string[]): Evidence {
  return {
    role: 'cb',
    window: {},
    facts,
    unobserved: [],
    untranslatable: [],
    ignored: [],
    refused: [],
    builds: builds ?? [...new Set(facts.flatMap((f) => f.builds))].sort(),
    accounts: [ACCOUNT],
    regions: ['us-east-1'],
    partition: 'aws',
    read: { files: 1, filesSkippedByName: 0, filesSkippedByContent: 0, digestFiles: 0, records: 1, matched: 1, skipped: {}, fileProblems: {}, notes: [] },
    warnings: [],
  };
}
