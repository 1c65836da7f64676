import type { GenerateFlags } from '../commands/generate.js';
import { InputError } from '../../src/errors.js';

export async function runGenerate(flags: GenerateFlags, _globals: { debug?: boolean }): Promise<void> {
  if (!flags.logs?.length) throw new InputError('generate needs --logs <path> (the local trail) for now');
}
