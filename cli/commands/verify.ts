import type { Command } from 'commander';
import { RuntimeFailure } from '../../src/errors.js';

// Placeholder until the command lands; registered so that the command list is complete.
export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('(not available yet)')
    .action(() => {
      throw new RuntimeFailure('verify is not available in this build yet');
    });
}
