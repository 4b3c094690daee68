import { z } from 'zod';
import { type MethodRun, defineMethod } from './method.js';

/** A single-use WebSocket URL for Socket Mode (the app-level token is checked by api.ts). */
const connectionsOpen = defineMethod(z.object({}), (ctx) => ({ url: ctx.openSocket() }));

export const appsMethods: Record<string, MethodRun> = {
  'apps.connections.open': connectionsOpen,
};
