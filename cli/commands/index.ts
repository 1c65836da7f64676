import type { Command } from 'commander';
import { registerAthenaDdl } from './athena-ddl.js';
import { registerAudit } from './audit.js';
import { registerDiff } from './diff.js';
import { registerExport } from './export.js';
import { registerGenerate } from './generate.js';
import { registerSelfPolicy } from './self-policy.js';
import { registerVerify } from './verify.js';

/** Every subcommand registers itself here, one module per command (cli/commands/<name>.ts). */
export function registerCommands(program: Command): void {
  registerGenerate(program);
  registerVerify(program);
  registerDiff(program);
  registerExport(program);
  registerAthenaDdl(program);
  registerAudit(program);
  registerSelfPolicy(program);
}
