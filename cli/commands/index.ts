import type { Command } from 'commander';
import { registerGenerate } from './generate.js';

/** Every subcommand registers itself here, one module per command. */
export function registerCommands(program: Command): void {
  registerGenerate(program);
}
