/**
 * Action executors: plan or run one rollback or remediation (an HTTP request
 * or an argv command, never a shell) and return what happened. No Slack, no
 * store, no permissions: the app layer decides who may run what, and when.
 */
export { ActionInputError } from './errors.js';
export { actionProblems, planAction } from './plan.js';
export { placeholderNames, unknownPlaceholders } from './placeholders.js';
export { shellJoin, shellQuote } from './quote.js';
export { runAction } from './run.js';
export type { ActionPlan, ActionRunResult, PlaceholderName, Placeholders, PlanOptions, RunOptions } from './types.js';
export { parseResolvedPlan, resolvePlan, runResolved, type ResolvedPlan } from './resolved.js';
