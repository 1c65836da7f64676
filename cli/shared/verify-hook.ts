// The self-check generate runs before writing: replay what was observed against what it is about to write.
// Only observed needs: implied ones are listed, not granted, unless project configuration made them inferred.
import type { PipelineOptions } from '../../src/pipeline.js';
import { replay } from '../../src/verification/replay.js';

export const verifyHook: NonNullable<PipelineOptions['verify']> = (evidence, policies, boundary) => {
  const r = replay(evidence, policies, { boundary, observedOnly: true });
  const problems = [...r.denied, ...r.undecided];
  return { requests: r.requests, events: r.events, denied: problems.length, details: problems.map((d) => `${d.action} on ${d.resource} (${d.why})`) };
};
