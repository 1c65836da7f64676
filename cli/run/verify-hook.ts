// The self-check generate runs before writing: replay what was observed against what it is about to write.
import type { PipelineOptions } from '../../src/pipeline.js';
import { replay } from '../../src/verification/replay.js';

export async function verifyHook(): Promise<PipelineOptions['verify']> {
  return (evidence, policies, boundary) => {
    const r = replay(evidence, policies, boundary);
    return { requests: r.requests, events: r.events, denied: r.denied.length, details: r.denied.map((d) => `${d.action} on ${d.resource} (${d.why})`) };
  };
}
