import type { SourceFlags } from '../../commands/source-options.js';
import type { SourceOutput, SourceQuery } from '../../../src/sources/source.js';
import { RuntimeFailure } from '../../../src/errors.js';

// Placeholder until the athena source lands: creates its AWS clients from the flags and opens the source.
export async function openAthenaSource(_flags: SourceFlags, _query: SourceQuery): Promise<SourceOutput> {
  throw new RuntimeFailure('--source athena is not available in this build yet');
}
