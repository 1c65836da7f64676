import type { Command } from 'commander';
import { RuntimeFailure } from '../../src/errors.js';

// Placeholder until the command lands; registered so that the command list is complete.
export function registerDiff(program: Command): void {
  program
    .command('diff')
    .description('(not available yet)')
    .action(() => {
      throw new RuntimeFailure('diff is not available in this build yet');
    });
}
