/** The health-check engine: runs checks and returns results; no Slack, no database. */
export { runCheck, runChecks, overallStatus } from './run.js';
export { resolveTarget, suggestTargets, type ChecksConfig, type Target } from './targets.js';
export type { CheckContext, CheckResult, CheckStatus, CheckTokenState, TokenStateSource } from './types.js';
export { backoffDelay } from './retry.js';
