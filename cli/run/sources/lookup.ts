// --source lookup: the flags checked and turned into the lookup source's scope; its CodeBuild and CloudTrail
// clients come from the factory (one CloudTrail client per region, without SDK retries: the source retries
// each call behind the region's token bucket, see src/sources/rate-limit-retry.ts).
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CodeBuildClient } from '@aws-sdk/client-codebuild';
import type { SourceFlags } from '../../shared/flags.js';
import type { AwsClients } from '../../aws-clients.js';
import { InputError } from '../../errors.js';
import { lookupSource } from '../../../src/sources/lookup/scoped-source.js';
import type { Source } from '../../../src/sources/source.js';

function parseLast(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InputError(`--last-builds ${v} is not a whole number from 1 to 1000`);
  return n;
}

export function lookupFromFlags(flags: SourceFlags, clients: AwsClients): Source {
  return lookupSource(
    {
      region: () => clients.region(),
      codebuild: (region) => clients.make(CodeBuildClient, region),
      cloudtrail: (region) => clients.make(CloudTrailClient, region, { maxAttempts: 1 }),
    },
    { project: flags.project, buildIds: flags.build, last: parseLast(flags.lastBuilds), wait: flags.wait === true, regions: flags.region },
  );
}
