/**
 * Turns the JSON of `terraform show -json <planfile>`, one document per stack, into one
 * Markdown summary for a pull request comment: counts per stack, every destroy and replacement
 * listed by address, output changes by name (never by value: outputs may be secrets).
 *
 * Pure: no cdktf, no file system. The CLI is scripts/plan-summary.ts.
 */

/** Hidden line that identifies the summary comment on a pull request, so it is updated in place. */
export const PLAN_SUMMARY_MARKER = '<!-- rancher-on-aws:plan-summary -->';

const DEFAULT_TITLE = 'Terraform plan';
const DEFAULT_MAX_LISTED = 50;
/** GitHub rejects comments over 65,536 characters; leave room for the workflow's own text. */
const MAX_MARKDOWN_CHARS = 60_000;
const WARNING = '⚠️';

/** What one resource change amounts to; `none` covers no-op and data-source reads. */
export type ResourceAction = 'create' | 'update' | 'replace' | 'delete' | 'forget' | 'none';

/** What one output change amounts to. */
export type OutputAction = 'create' | 'update' | 'delete' | 'none';

export interface ResourceChangeSummary {
  readonly address: string;
  readonly action: ResourceAction;
  /** Terraform's `action_reason`, when it gave one. */
  readonly reason?: string;
  /** Attribute paths that force a replacement (`replace_paths`), rendered as `a.b[0]`. */
  readonly replacePaths: readonly string[];
  /** True for `["create","delete"]`: the new object exists before the old one is destroyed. */
  readonly createBeforeDestroy: boolean;
}

export interface OutputChangeSummary {
  readonly name: string;
  readonly action: OutputAction;
}

/** The changes of one stack's plan, grouped by what they do. */
export interface StackPlanSummary {
  readonly stack: string;
  readonly creates: readonly ResourceChangeSummary[];
  readonly updates: readonly ResourceChangeSummary[];
  readonly replacements: readonly ResourceChangeSummary[];
  readonly deletes: readonly ResourceChangeSummary[];
  /** Objects removed from state without being destroyed (`removed { lifecycle { destroy = false } }`). */
  readonly forgets: readonly ResourceChangeSummary[];
  /** Output changes other than no-op. */
  readonly outputs: readonly OutputChangeSummary[];
  /** Resources whose real state differed from the recorded state (`resource_drift`). */
  readonly driftCount: number;
  /** Terraform stopped planning with an error; the plan is partial. */
  readonly errored: boolean;
  /** False when Terraform deferred part of the plan to a later run. */
  readonly complete: boolean;
  readonly hasChanges: boolean;
}

/** One stack's parsed `terraform show -json` document. */
export interface StackPlanInput {
  readonly stack: string;
  readonly plan: unknown;
}

export interface PlanSummaryOptions {
  /**
   * Heading of the summary.
   * @default 'Terraform plan'
   */
  readonly title?: string;
  /**
   * How many addresses each list shows before "and N more".
   * @default 50 (fewer when the summary would exceed a GitHub comment)
   */
  readonly maxListed?: number;
  /**
   * Hidden marker appended to the Markdown; `false` leaves it out.
   * @default PLAN_SUMMARY_MARKER
   */
  readonly marker?: string | false;
}

export interface PlanSummary {
  readonly markdown: string;
  /** Resources that would be destroyed outright, over all stacks (replacements not included). */
  readonly destroys: number;
  /** Resources that would be replaced (destroyed and created again), over all stacks. */
  readonly replacements: number;
  readonly stacks: readonly StackPlanSummary[];
}

/** A plan document that is not what `terraform show -json <planfile>` prints. */
export class PlanInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanInputError';
  }
}

/**
 * Maps Terraform's `change.actions` to one action. Replacement is `["delete","create"]` or
 * `["create","delete"]` (create before destroy); `["create","forget"]` replaces while keeping the
 * old object, which is a create here plus a forget listed by the caller.
 */
export function classifyActions(actions: readonly string[]): ResourceAction | undefined {
  const key = actions.join(',');
  switch (key) {
    case 'no-op':
    case 'read':
      return 'none';
    case 'create':
    case 'update':
    case 'delete':
    case 'forget':
      return key;
    case 'delete,create':
    case 'create,delete':
      return 'replace';
    case 'create,forget':
      return 'create';
    default:
      return undefined;
  }
}

function classifyOutputActions(actions: readonly string[]): OutputAction | undefined {
  const key = actions.join(',');
  switch (key) {
    case 'no-op':
      return 'none';
    case 'create':
    case 'update':
    case 'delete':
      return key;
    // Terraform reports an output whose value becomes unknown-then-known as a replace pair.
    case 'delete,create':
    case 'create,delete':
      return 'update';
    default:
      return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function readActions(stack: string, where: string, value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((a) => typeof a === 'string')) {
    throw new PlanInputError(
      `Plan of stack "${stack}": ${where} must be a non-empty array of action names such as ` +
        `["create"]; got ${describe(value)}.`,
    );
  }
  return value as string[];
}

/** Renders a `replace_paths` entry (`["tags","Name"]`, `["ingress",0]`) as `tags.Name`, `ingress[0]`. */
function renderPath(path: unknown): string | undefined {
  if (!Array.isArray(path)) return undefined;
  let text = '';
  for (const step of path) {
    if (typeof step === 'number') text += `[${step}]`;
    else if (typeof step === 'string') text += text === '' ? step : `.${step}`;
    else return undefined;
  }
  return text === '' ? undefined : text;
}

/** Summarizes one stack's plan document; throws PlanInputError when it is not a plan. */
export function summarizeStackPlan(stack: string, plan: unknown): StackPlanSummary {
  if (!isRecord(plan)) {
    throw new PlanInputError(
      `Plan of stack "${stack}" must be the JSON object printed by "terraform show -json <planfile>"; ` +
        `got ${describe(plan)}.`,
    );
  }
  const version = plan.format_version;
  if (typeof version !== 'string' || !/^1\./.test(version)) {
    throw new PlanInputError(
      `Plan of stack "${stack}": format_version must be a 1.x version string as printed by ` +
        `"terraform show -json <planfile>"; got ${describe(version)}.`,
    );
  }
  if (plan.resource_changes === undefined && plan.planned_values === undefined) {
    throw new PlanInputError(
      `Plan of stack "${stack}" has neither resource_changes nor planned_values: it looks like a ` +
        `state ("terraform show -json" without a plan file), not a plan.`,
    );
  }
  const rawChanges = plan.resource_changes ?? [];
  if (!Array.isArray(rawChanges)) {
    throw new PlanInputError(
      `Plan of stack "${stack}": resource_changes must be an array; got ${describe(rawChanges)}.`,
    );
  }

  const groups: Record<Exclude<ResourceAction, 'none'>, ResourceChangeSummary[]> = {
    create: [],
    update: [],
    replace: [],
    delete: [],
    forget: [],
  };
  rawChanges.forEach((entry: unknown, index: number) => {
    const where = `resource_changes[${index}]`;
    if (!isRecord(entry) || typeof entry.address !== 'string' || !isRecord(entry.change)) {
      throw new PlanInputError(
        `Plan of stack "${stack}": ${where} must be an object with an "address" string and a ` +
          `"change" object; got ${describe(entry)}.`,
      );
    }
    const actions = readActions(
      stack,
      `${where}.change.actions (${entry.address})`,
      entry.change.actions,
    );
    const action = classifyActions(actions);
    if (action === undefined) {
      throw new PlanInputError(
        `Plan of stack "${stack}": ${entry.address} has change.actions ${describe(actions)}, which is ` +
          `not one of no-op, read, create, update, delete, forget, delete+create, create+delete ` +
          `or create+forget.`,
      );
    }
    if (action === 'none') return;
    const replacePaths = Array.isArray(entry.change.replace_paths)
      ? entry.change.replace_paths.map(renderPath).filter((p): p is string => p !== undefined)
      : [];
    const summary: ResourceChangeSummary = {
      address: entry.address,
      action,
      ...(typeof entry.action_reason === 'string' ? { reason: entry.action_reason } : {}),
      replacePaths,
      createBeforeDestroy: actions.join(',') === 'create,delete',
    };
    groups[action].push(summary);
    if (actions.join(',') === 'create,forget') groups.forget.push({ ...summary, action: 'forget' });
  });

  const outputs: OutputChangeSummary[] = [];
  const rawOutputs = plan.output_changes ?? {};
  if (!isRecord(rawOutputs)) {
    throw new PlanInputError(
      `Plan of stack "${stack}": output_changes must be an object keyed by output name; ` +
        `got ${describe(rawOutputs)}.`,
    );
  }
  for (const [name, change] of Object.entries(rawOutputs)) {
    const actions = readActions(
      stack,
      `output_changes.${name}.actions`,
      isRecord(change) ? change.actions : change,
    );
    const action = classifyOutputActions(actions);
    if (action === undefined) {
      throw new PlanInputError(
        `Plan of stack "${stack}": output ${name} has actions ${describe(actions)}, which is not ` +
          `one of no-op, create, update or delete.`,
      );
    }
    if (action !== 'none') outputs.push({ name, action });
  }

  const drift = Array.isArray(plan.resource_drift) ? plan.resource_drift.length : 0;
  const errored = plan.errored === true;
  const complete = plan.complete !== false;
  const hasChanges =
    Object.values(groups).some((g) => g.length > 0) || outputs.length > 0 || errored || !complete;

  return {
    stack,
    creates: groups.create,
    updates: groups.update,
    replacements: groups.replace,
    deletes: groups.delete,
    forgets: groups.forget,
    outputs,
    driftCount: drift,
    errored,
    complete,
    hasChanges,
  };
}

/** Builds the pull request summary over every stack's plan, in the order given. */
export function summarizePlans(
  plans: readonly StackPlanInput[],
  options: PlanSummaryOptions = {},
): PlanSummary {
  if (plans.length === 0) {
    throw new PlanInputError('summarizePlans needs at least one stack plan; got none.');
  }
  const maxListed = options.maxListed ?? DEFAULT_MAX_LISTED;
  if (!Number.isInteger(maxListed) || maxListed < 1) {
    throw new PlanInputError(`maxListed must be a positive integer; got ${describe(maxListed)}.`);
  }
  const seen = new Set<string>();
  const stacks = plans.map(({ stack, plan }) => {
    if (stack.trim() === '') {
      throw new PlanInputError('Every stack plan needs a non-empty stack name; got "".');
    }
    if (seen.has(stack)) {
      throw new PlanInputError(`Stack "${stack}" is given twice; each stack may have one plan.`);
    }
    seen.add(stack);
    return summarizeStackPlan(stack, plan);
  });
  const destroys = sum(stacks, (s) => s.deletes.length);
  const replacements = sum(stacks, (s) => s.replacements.length);

  let listed = maxListed;
  let markdown = render(stacks, options, listed);
  while (markdown.length > MAX_MARKDOWN_CHARS && listed > 5) {
    listed = Math.max(5, Math.floor(listed / 2));
    markdown = render(stacks, options, listed);
  }
  return { markdown, destroys, replacements, stacks };
}

function sum<T>(items: readonly T[], count: (item: T) => number): number {
  return items.reduce((total, item) => total + count(item), 0);
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

function headline(
  stacks: readonly StackPlanSummary[],
  destroys: number,
  replacements: number,
): string {
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
  const adds = sum(stacks, (s) => s.creates.length);
  const updates = sum(stacks, (s) => s.updates.length);
  return (
    `✅ **Nothing would be destroyed or replaced.** ${adds} to add, ${updates} to change ` +
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

function render(
  stacks: readonly StackPlanSummary[],
  options: PlanSummaryOptions,
  maxListed: number,
): string {
  const destroys = sum(stacks, (s) => s.deletes.length);
  const replacements = sum(stacks, (s) => s.replacements.length);
  const lines = [
    `### ${options.title ?? DEFAULT_TITLE}`,
    '',
    headline(stacks, destroys, replacements),
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
