import type { Command } from 'commander';
import { RuntimeFailure } from '../../src/errors.js';

// Placeholder until the command lands; registered so that the command list is complete.
export function registerExport(program: Command): void {
  program
    .command('export')
    .description('(not available yet)')
    .action(() => {
      throw new RuntimeFailure('export is not available in this build yet');
    });
}
