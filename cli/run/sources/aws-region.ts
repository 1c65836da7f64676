// The region and profile for the query engines' clients: --region (first), else the SDK's environment.
import { InputError } from '../../errors.js';
import type { SourceFlags } from '../../commands/source-options.js';

export function clientRegion(flags: SourceFlags, fallback?: string): string {
  const region = flags.region?.[0] ?? fallback ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region) throw new InputError('no AWS region: pass --region <region> or set AWS_REGION');
  return region;
}

export function pricePerTb(flags: SourceFlags): number {
  const raw = flags.athenaPricePerTb ?? '5';
  const price = Number(raw);
  if (!Number.isFinite(price) || price < 0) throw new InputError(`--athena-price-per-tb ${raw} is not a price in USD (e.g. 5)`);
  return price;
}

/** Where the account's global-service events (IAM, STS) are delivered, per partition. */
export function globalRegion(partition: string | undefined): string {
  return partition === 'aws-cn' ? 'cn-north-1' : partition === 'aws-us-gov' ? 'us-gov-west-1' : 'us-east-1';
}
