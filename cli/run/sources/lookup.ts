import type { SourceFlags } from '../../commands/source-options.js';
import type { SourceOutput, SourceQuery } from '../../../src/sources/source.js';
import { RuntimeFailure } from '../../../src/errors.js';

// Placeholder until the lookup source lands: creates its AWS clients from the flags and opens the source.
export async function openLookupSource(_flags: SourceFlags, _query: SourceQuery): Promise<SourceOutput> {
  throw new RuntimeFailure('--source lookup is not available in this build yet');
}

export async function resolveProjectRole(_flags: SourceFlags): Promise<string | undefined> {
  return undefined;
}
