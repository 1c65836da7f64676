// --source and its flags -> the Source that reads the role's events. The AWS sources' modules (and the SDK)
// are loaded only when chosen: the files source need not pay their start-up time.
import type { SourceFlags } from '../../shared/flags.js';
import { InputError } from '../../errors.js';
import { filesSource } from '../../../src/sources/files/read-files.js';
import type { Source, SourceKind } from '../../../src/sources/source.js';

export interface OpenedSource {
  source: Source;
  /** Releases what the source holds (the AWS clients' sockets). */
  close(): void;
}

/** The source the flags choose: --source, else files with --logs, else lookup; --logs only with files. */
export function sourceKind(flags: SourceFlags): SourceKind {
  const kind = flags.source ?? (flags.logs?.length ? 'files' : 'lookup');
  if (kind === 'files' && !flags.logs?.length) throw new InputError('--source files needs --logs <path>');
  if (kind !== 'files' && flags.logs?.length) throw new InputError(`--logs reads local files; it does not go with --source ${kind}`);
  return kind;
}

function parseWorkers(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new InputError(`--workers ${v} is not a whole number from 1 to 256`);
  return n;
}

/** Checks the flags of the chosen source (before any AWS call) and opens it. */
export async function openSource(kind: SourceKind, flags: SourceFlags): Promise<OpenedSource> {
  if (kind === 'files') return { source: filesSource({ paths: flags.logs ?? [], workers: parseWorkers(flags.workers) }), close: () => {} };
  const clients = await (await import('../../aws-clients.js')).awsClients({ profile: flags.profile, region: flags.region });
  try {
    const source =
      kind === 'lookup'
        ? (await import('./lookup.js')).lookupFromFlags(flags, clients)
        : kind === 'athena'
          ? await (await import('./athena.js')).athenaFromFlags(flags, clients)
          : await (await import('./lake.js')).lakeFromFlags(flags, clients);
    return { source, close: () => clients.destroy() };
  } catch (e) {
    clients.destroy();
    throw e;
  }
}
