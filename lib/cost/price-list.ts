import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { PriceList } from './model';

/** The pinned price list every estimate uses (see its `note`). */
export const DEFAULT_PRICE_LIST = path.join(
  __dirname,
  '..',
  '..',
  'data',
  'prices',
  'us-east-1-2026-12.json',
);

export function loadPriceList(file: string = DEFAULT_PRICE_LIST): PriceList {
  const list = JSON.parse(readFileSync(file, 'utf8')) as PriceList;
  if (typeof list.region !== 'string' || typeof list.prices?.eksClusterHour?.usd !== 'number') {
    throw new Error(
      `${file} is not a price list (region and prices.eksClusterHour.usd are required).`,
    );
  }
  return list;
}
