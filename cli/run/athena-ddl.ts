// `athena-ddl`: prints the table statement; it never talks to AWS.
import type { AthenaDdlFlags } from '../shared/flags.js';
import { InputError } from '../errors.js';
import { buildAthenaDdl } from '../../src/sources/athena/ddl.js';

export function runAthenaDdl(flags: AthenaDdlFlags): void {
  if (!flags.bucket) throw new InputError('athena-ddl needs --bucket <bucket>');
  process.stdout.write(
    buildAthenaDdl({
      bucket: flags.bucket,
      prefix: flags.prefix,
      orgId: flags.orgId,
      accounts: flags.account ?? [],
      injectAccount: flags.injectAccount === true,
      regions: flags.region ?? [],
      table: flags.table,
      database: flags.database,
    }),
  );
}
