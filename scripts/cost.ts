// Prints the monthly cost of one environment file at the pinned price list.
// Usage: npm run cost -- <environment-file>
import * as path from 'node:path';
import { ConfigError } from '../lib/config/load';
import { costInventory } from '../lib/cost/inventory';
import { estimateMonthlyCost, renderCostTable } from '../lib/cost/model';
import { loadPriceList } from '../lib/cost/price-list';
import { synthesizeToMemory } from './synthesized';

const file = process.argv[2];
if (!file || process.argv.length > 3 || file === '--help' || file === '-h') {
  console.error('Usage: npm run cost -- <environment-file>   (e.g. environments/rke2-single.yaml)');
  process.exit(file === '--help' || file === '-h' ? 0 : 1);
}
try {
  const { stacks } = synthesizeToMemory(path.resolve(file));
  const list = loadPriceList();
  console.log(
    renderCostTable(estimateMonthlyCost(costInventory(Object.values(stacks)), list), list),
  );
  console.log(
    `Lines marked * use a price no source confirmed; see ${path.relative(process.cwd(), 'data/prices')}.`,
  );
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : String(error));
  process.exit(1);
}
