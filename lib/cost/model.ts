/**
 * Monthly cost of a counted environment (./inventory.ts) at a pinned price list
 * (data/prices/*.json), as table lines. Pure: the price list is passed in.
 */
import type { CostInventory } from './inventory';

export interface Price {
  readonly usd: number;
  /** False when no source confirmed the figure: the table marks the line. */
  readonly verified: boolean;
  readonly source: string;
}

export interface Assumption {
  readonly value: number;
  readonly why: string;
}

export interface PriceList {
  readonly region: string;
  readonly currency: string;
  readonly retrieved: string;
  readonly hoursPerMonth: number;
  readonly assumptions: {
    readonly natGatewayGbPerMonth: Assumption;
    readonly nlbCapacityUnitsPerHour: Assumption;
    readonly logGbPerGroupPerMonth: Assumption;
  };
  readonly prices: {
    readonly eksClusterHour: Price;
    readonly natGatewayHour: Price;
    readonly natGatewayGb: Price;
    readonly nlbHour: Price;
    readonly nlbCapacityUnitHour: Price;
    readonly publicIpv4Hour: Price;
    readonly gp3GbMonth: Price;
    readonly route53HostedZoneMonth: Price;
    readonly secretMonth: Price;
    readonly kmsKeyMonth: Price;
    readonly logsIngestedGb: Price;
    readonly instanceHour: Readonly<Record<string, Price>>;
  };
}

export interface CostLine {
  readonly item: string;
  /** How the amount is made, e.g. `3 x 730 h x $0.045`. */
  readonly basis: string;
  readonly monthlyUsd: number;
  readonly verified: boolean;
}

export interface CostEstimate {
  readonly lines: readonly CostLine[];
  readonly totalUsd: number;
}

/** Cents, to keep sums of many small lines exact enough for a table. */
function round(usd: number): number {
  return Math.round(usd * 100) / 100;
}

export function estimateMonthlyCost(inventory: CostInventory, list: PriceList): CostEstimate {
  const hours = list.hoursPerMonth;
  const { prices, assumptions } = list;
  const lines: CostLine[] = [];
  const add = (item: string, quantity: number, unit: string, price: Price, factor = 1) => {
    if (quantity === 0) return;
    lines.push({
      item,
      basis: `${quantity}${unit} x $${price.usd}`,
      monthlyUsd: round(quantity * factor * price.usd),
      verified: price.verified,
    });
  };
  add('EKS control plane', inventory.eksClusters, ` x ${hours} h`, prices.eksClusterHour, hours);
  for (const [type, count] of Object.entries(inventory.instances).sort()) {
    const price = prices.instanceHour[type];
    if (!price) {
      throw new Error(
        `The price list (${list.region}, ${list.retrieved}) has no on-demand price for instance type ${type}; add it to data/prices with its source.`,
      );
    }
    add(`EC2 ${type}`, count, ` x ${hours} h`, price, hours);
  }
  add('EBS gp3 root volumes', inventory.volumeGiB, ' GiB-month', prices.gp3GbMonth);
  add('NAT gateways', inventory.natGateways, ` x ${hours} h`, prices.natGatewayHour, hours);
  add(
    `NAT data (${assumptions.natGatewayGbPerMonth.value} GB each, assumed)`,
    inventory.natGateways * assumptions.natGatewayGbPerMonth.value,
    ' GB',
    prices.natGatewayGb,
  );
  add(
    'Network load balancers',
    inventory.networkLoadBalancers,
    ` x ${hours} h`,
    prices.nlbHour,
    hours,
  );
  add(
    `NLB capacity (${assumptions.nlbCapacityUnitsPerHour.value} NLCU each, assumed)`,
    inventory.networkLoadBalancers * assumptions.nlbCapacityUnitsPerHour.value,
    ` NLCU x ${hours} h`,
    prices.nlbCapacityUnitHour,
    hours,
  );
  add(
    'Public IPv4 addresses',
    inventory.publicIpv4Addresses,
    ` x ${hours} h`,
    prices.publicIpv4Hour,
    hours,
  );
  add('Route 53 hosted zones', inventory.hostedZones, '', prices.route53HostedZoneMonth);
  add('Secrets Manager secrets', inventory.secrets, '', prices.secretMonth);
  add('KMS keys', inventory.kmsKeys, '', prices.kmsKeyMonth);
  add(
    `CloudWatch logs (${assumptions.logGbPerGroupPerMonth.value} GB per group, assumed)`,
    inventory.logGroups * assumptions.logGbPerGroupPerMonth.value,
    ' GB',
    prices.logsIngestedGb,
  );
  return { lines, totalUsd: round(lines.reduce((sum, line) => sum + line.monthlyUsd, 0)) };
}

/** A Markdown table, aligned as Prettier aligns it; lines priced from an unconfirmed figure carry a `*`. */
export function renderCostTable(estimate: CostEstimate, list: PriceList): string {
  const money = (usd: number) => `$${usd.toFixed(2)}`;
  const rows = [
    ['item', 'basis', 'per month'],
    ...estimate.lines.map((l) => [
      `${l.item}${l.verified ? '' : ' \\*'}`,
      l.basis,
      money(l.monthlyUsd),
    ]),
    [
      '**total**',
      `${list.region} list prices of ${list.retrieved}`,
      `**${money(estimate.totalUsd)}**`,
    ],
  ];
  const widths = [0, 1, 2].map((c) => Math.max(3, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, c) => (c === 2 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join(' | ')} |`;
  const rule = `| ${'-'.repeat(widths[0])} | ${'-'.repeat(widths[1])} | ${'-'.repeat(widths[2] - 1)}: |`;
  return [line(rows[0]), rule, ...rows.slice(1).map(line), ''].join('\n');
}
