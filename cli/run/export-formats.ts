// What generate prints without --out, and the extra export files it writes with --out --export.
import type { GenerateFlags } from '../commands/generate.js';
import type { PipelineResult } from '../../src/pipeline.js';

export async function renderStdout(_flags: GenerateFlags, result: PipelineResult): Promise<string> {
  return result.files['policy.json'] ?? '';
}

export async function exportFiles(_flags: GenerateFlags, _result: PipelineResult): Promise<Record<string, string>> {
  return {};
}
