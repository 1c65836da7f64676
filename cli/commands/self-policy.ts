import type { Command } from 'commander';
import { RuntimeFailure } from '../../src/errors.js';

// Placeholder until the command lands; registered so that the command list is complete.
export function registerSelfPolicy(program: Command): void {
  program
    .command('self-policy')
    .description('(not available yet)')
    .action(() => {
      throw new RuntimeFailure('self-policy is not available in this build yet');
    });
}
