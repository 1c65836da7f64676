import type { Command } from 'commander';
import { RuntimeFailure } from '../../src/errors.js';

// Placeholder until the command lands; registered so that the command list is complete.
export function registerAthenaDdl(program: Command): void {
  program
    .command('athena-ddl')
    .description('(not available yet)')
    .action(() => {
      throw new RuntimeFailure('athena-ddl is not available in this build yet');
    });
}
