// The flag both query engines (Athena, CloudTrail Lake) share.
import { InputError } from '../../errors.js';
import type { SourceFlags } from '../../shared/flags.js';

export function pricePerTb(flags: SourceFlags): number {
  const raw = flags.athenaPricePerTb ?? '5';
  const price = Number(raw);
  if (!Number.isFinite(price) || price < 0) throw new InputError(`--athena-price-per-tb ${raw} is not a price in USD (e.g. 5)`);
  return price;
}
