export { TokenManager, type TokenManagerDeps } from './manager.js';
export type { TokenState, RefreshOutcome } from './state.js';
export { UnknownProviderError, TokenUnavailableError, SinkError } from './errors.js';
export { requestToken, type IssuedToken, type TokenResult } from './oauth.js';
export { writeSink, writeFileAtomically, sinkPayload, type SinkPayload } from './sinks.js';
export { lockBudget } from './retry.js';
