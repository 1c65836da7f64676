// The self-check generate runs before writing: replay what was observed against what it is about to write.
import type { PipelineOptions } from '../../src/pipeline.js';

export async function verifyHook(): Promise<PipelineOptions['verify']> {
  return undefined;
}
