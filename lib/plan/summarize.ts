/**
 * Reads the JSON of `terraform show -json <planfile>` for one stack and groups its changes by
 * what they do: creates, updates, replacements, destroys, forgets, output changes by name (never
 * by value: outputs may be secrets). Rejects documents that are not plans.
 *
 * Pure: no cdktf, no file system. The Markdown is lib/plan/render.ts.
 */

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

/** A bad value for an error message: its JSON, shortened. */
export function describeValue(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function readActions(stack: string, where: string, value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((a) => typeof a === 'string')) {
    throw new PlanInputError(
      `Plan of stack "${stack}": ${where} must be a non-empty array of action names such as ` +
        `["create"]; got ${describeValue(value)}.`,
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
        `got ${describeValue(plan)}.`,
    );
  }
  const version = plan.format_version;
  if (typeof version !== 'string' || !/^1\./.test(version)) {
    throw new PlanInputError(
      `Plan of stack "${stack}": format_version must be a 1.x version string as printed by ` +
        `"terraform show -json <planfile>"; got ${describeValue(version)}.`,
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
      `Plan of stack "${stack}": resource_changes must be an array; got ${describeValue(rawChanges)}.`,
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
          `"change" object; got ${describeValue(entry)}.`,
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
        `Plan of stack "${stack}": ${entry.address} has change.actions ${describeValue(actions)}, which is ` +
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
        `got ${describeValue(rawOutputs)}.`,
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
        `Plan of stack "${stack}": output ${name} has actions ${describeValue(actions)}, which is not ` +
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

/** Resource counts over every stack. */
export interface PlanTotals {
  readonly creates: number;
  readonly updates: number;
  readonly replacements: number;
  readonly deletes: number;
}

export function planTotals(stacks: readonly StackPlanSummary[]): PlanTotals {
  const sum = (count: (s: StackPlanSummary) => number): number =>
    stacks.reduce((total, s) => total + count(s), 0);
  return {
    creates: sum((s) => s.creates.length),
    updates: sum((s) => s.updates.length),
    replacements: sum((s) => s.replacements.length),
    deletes: sum((s) => s.deletes.length),
  };
}
