/**
 * Turns the JSON of `terraform show -json <planfile>`, one document per stack, into one
 * Markdown summary for a pull request comment: each stack's plan summarized
 * (lib/plan/summarize.ts), then rendered (lib/plan/render.ts) within GitHub's comment size.
 *
 * Pure: no cdktf, no file system. The CLI is scripts/plan-summary.ts.
 */
import { PlanRenderOptions, renderPlanSummary } from './render';
import {
  PlanInputError,
  StackPlanSummary,
  describeValue,
  planTotals,
  summarizeStackPlan,
} from './summarize';

const DEFAULT_MAX_LISTED = 50;
/** GitHub rejects comments over 65,536 characters; leave room for the workflow's own text. */
const MAX_MARKDOWN_CHARS = 60_000;

/** One stack's parsed `terraform show -json` document. */
export interface StackPlanInput {
  readonly stack: string;
  readonly plan: unknown;
}

export interface PlanSummaryOptions extends PlanRenderOptions {
  /**
   * How many addresses each list shows before "and N more".
   * @default 50 (fewer when the summary would exceed a GitHub comment)
   */
  readonly maxListed?: number;
}

export interface PlanSummary {
  readonly markdown: string;
  /** Resources that would be destroyed outright, over all stacks (replacements not included). */
  readonly destroys: number;
  /** Resources that would be replaced (destroyed and created again), over all stacks. */
  readonly replacements: number;
  readonly stacks: readonly StackPlanSummary[];
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
    throw new PlanInputError(
      `maxListed must be a positive integer; got ${describeValue(maxListed)}.`,
    );
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
  const totals = planTotals(stacks);

  let listed = maxListed;
  let markdown = renderPlanSummary(stacks, options, listed);
  while (markdown.length > MAX_MARKDOWN_CHARS && listed > 5) {
    listed = Math.max(5, Math.floor(listed / 2));
    markdown = renderPlanSummary(stacks, options, listed);
  }
  return { markdown, destroys: totals.deletes, replacements: totals.replacements, stacks };
}
