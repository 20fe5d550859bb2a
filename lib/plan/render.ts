/**
 * Renders stack plan summaries as the Markdown of a pull request comment: a headline, one table
 * row per stack, then every destroy and replacement by address with the reason Terraform gave.
 *
 * Pure: no cdktf, no file system. The summaries come from lib/plan/summarize.ts.
 */
import {
  OutputAction,
  OutputChangeSummary,
  PlanTotals,
  ResourceChangeSummary,
  StackPlanSummary,
  planTotals,
} from './summarize';

/** Hidden line that identifies the summary comment on a pull request, so it is updated in place. */
export const PLAN_SUMMARY_MARKER = '<!-- rancher-on-aws:plan-summary -->';

const DEFAULT_TITLE = 'Terraform plan';
const WARNING = '⚠️';

export interface PlanRenderOptions {
  /**
   * Heading of the summary.
   * @default 'Terraform plan'
   */
  readonly title?: string;
  /**
   * Hidden marker appended to the Markdown; `false` leaves it out.
   * @default PLAN_SUMMARY_MARKER
   */
  readonly marker?: string | false;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** A code span that survives backticks in the text and pipes inside a table cell. */
function code(text: string, inTable = false): string {
  const fence = text.includes('`') ? '``' : '`';
  const padded = fence === '``' ? ` ${text} ` : text;
  const span = `${fence}${padded}${fence}`;
  return inTable ? span.replace(/\|/g, '\\|') : span;
}

const REASONS: Readonly<Record<string, string>> = {
  replace_because_tainted: 'the object is tainted',
  replace_because_cannot_update: 'a changed attribute cannot be updated in place',
  replace_by_request: 'replacement was requested (-replace)',
  replace_by_triggers: 'replace_triggered_by fired',
  delete_because_no_resource_config: 'no longer in the configuration',
  delete_because_no_module: 'its module is no longer in the configuration',
  delete_because_wrong_repetition: 'count/for_each was added or removed',
  delete_because_count_index: 'its count index is out of range',
  delete_because_each_key: 'its for_each key is gone',
  delete_because_no_move_target: 'the target of its moved block is not in the configuration',
};

function explain(change: ResourceChangeSummary): string {
  const parts: string[] = [];
  if (change.action === 'replace') {
    parts.push(change.createBeforeDestroy ? 'create before destroy' : 'destroy, then create');
    if (change.replacePaths.length > 0) {
      parts.push(`forced by ${change.replacePaths.map((p) => code(p)).join(', ')}`);
    } else if (change.reason !== undefined) {
      parts.push(REASONS[change.reason] ?? change.reason);
    }
  } else if (change.reason !== undefined) {
    parts.push(REASONS[change.reason] ?? change.reason);
  }
  return parts.length > 0 ? ` — ${parts.join('; ')}` : '';
}

function list(
  changes: readonly ResourceChangeSummary[],
  maxListed: number,
  prefix: string,
  withReason: boolean,
): string[] {
  const lines = changes
    .slice(0, maxListed)
    .map((c) => `- ${prefix}${code(c.address)}${withReason ? explain(c) : ''}`);
  if (changes.length > maxListed) lines.push(`- …and ${changes.length - maxListed} more`);
  return lines;
}

function countCell(count: number, warn: boolean): string {
  return warn && count > 0 ? `${count} ${WARNING}` : String(count);
}

function headline(stacks: readonly StackPlanSummary[], totals: PlanTotals): string {
  const destroys = totals.deletes;
  const replacements = totals.replacements;
  const changed = stacks.filter((s) => s.hasChanges).length;
  const broken = stacks.filter((s) => s.errored).length;
  const errorNote =
    broken > 0
      ? ` ${WARNING} **${plural(broken, 'plan')} errored**: the summary is incomplete.`
      : '';
  if (destroys > 0 || replacements > 0) {
    const what = [
      destroys > 0 ? `${plural(destroys, 'resource')} would be destroyed` : '',
      replacements > 0 ? `${plural(replacements, 'resource')} would be replaced` : '',
    ]
      .filter((t) => t !== '')
      .join(' and ');
    const affected = stacks.filter((s) => s.deletes.length > 0 || s.replacements.length > 0).length;
    return (
      `${WARNING} **${what}** in ${affected} of ${plural(stacks.length, 'stack')}. ` +
      `Check the addresses below before merging.${errorNote}`
    );
  }
  if (changed === 0) {
    return `✅ **No changes.** Nothing would be destroyed; every stack matches its configuration.`;
  }
  return (
    `✅ **Nothing would be destroyed or replaced.** ${totals.creates} to add, ${totals.updates} to change ` +
    `in ${changed} of ${plural(stacks.length, 'stack')}.${errorNote}`
  );
}

function table(stacks: readonly StackPlanSummary[]): string[] {
  const lines = [
    '| Stack | Add | Change | Replace | Destroy |',
    '| --- | ---: | ---: | ---: | ---: |',
  ];
  for (const s of stacks) {
    const name = code(s.stack, true);
    if (!s.hasChanges) {
      lines.push(`| ${name} | no changes | – | – | – |`);
      continue;
    }
    lines.push(
      `| ${name} | ${s.creates.length} | ${s.updates.length} | ` +
        `${countCell(s.replacements.length, true)} | ${countCell(s.deletes.length, true)} |`,
    );
  }
  return lines;
}

function outputLine(outputs: readonly OutputChangeSummary[]): string | undefined {
  if (outputs.length === 0) return undefined;
  const names = (action: OutputAction): string =>
    outputs
      .filter((o) => o.action === action)
      .map((o) => code(o.name))
      .join(', ');
  const parts = [
    ['added', names('create')],
    ['changed', names('update')],
    ['removed', names('delete')],
  ]
    .filter(([, text]) => text !== '')
    .map(([label, text]) => `${label} ${text}`);
  return `Outputs: ${parts.join('; ')}.`;
}

function stackSection(s: StackPlanSummary, maxListed: number): string[] {
  const lines = [`#### ${code(s.stack)}`, ''];
  if (s.errored) {
    lines.push(`${WARNING} Terraform reported an error while planning; this list is partial.`, '');
  }
  if (!s.complete) {
    lines.push('Terraform deferred part of this plan; another plan is needed after applying.', '');
  }
  if (s.deletes.length > 0) {
    lines.push(`**${WARNING} Destroy (${s.deletes.length})**`, '');
    lines.push(...list(s.deletes, maxListed, '', true), '');
  }
  if (s.replacements.length > 0) {
    lines.push(`**${WARNING} Replace (${s.replacements.length})**`, '');
    lines.push(...list(s.replacements, maxListed, '', true), '');
  }
  if (s.forgets.length > 0) {
    lines.push(`**Removed from state, not destroyed (${s.forgets.length})**`, '');
    lines.push(...list(s.forgets, maxListed, '', false), '');
  }
  if (s.creates.length > 0 || s.updates.length > 0) {
    const label = [
      s.creates.length > 0 ? `add ${s.creates.length}` : '',
      s.updates.length > 0 ? `change ${s.updates.length}` : '',
    ]
      .filter((t) => t !== '')
      .join(', ');
    lines.push(`<details><summary>Other changes: ${label}</summary>`, '');
    lines.push(...list(s.creates, maxListed, '➕ ', false));
    lines.push(...list(s.updates, maxListed, '✏️ ', false));
    lines.push('', '</details>', '');
  }
  const outputs = outputLine(s.outputs);
  if (outputs !== undefined) lines.push(outputs, '');
  if (s.driftCount > 0) {
    lines.push(
      `Drift: ${plural(s.driftCount, 'resource')} changed outside Terraform since the last apply.`,
      '',
    );
  }
  return lines;
}

/** The Markdown of the summary, each address list cut after `maxListed` entries. */
export function renderPlanSummary(
  stacks: readonly StackPlanSummary[],
  options: PlanRenderOptions,
  maxListed: number,
): string {
  const lines = [
    `### ${options.title ?? DEFAULT_TITLE}`,
    '',
    headline(stacks, planTotals(stacks)),
    '',
    ...table(stacks),
    '',
  ];
  for (const s of stacks) {
    if (s.hasChanges) lines.push(...stackSection(s, maxListed));
  }
  const marker = options.marker ?? PLAN_SUMMARY_MARKER;
  if (marker !== false) lines.push(marker);
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
