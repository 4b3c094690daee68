import { appsMethods } from './apps.js';
import { chatMethods } from './chat.js';
import { conversationsMethods } from './conversations.js';
import { filesMethods } from './files.js';
import type { MethodRun } from './method.js';
import { usersMethods } from './users.js';
import { viewsMethods } from './views.js';

/** Every Web API method the emulator answers; anything else is `unknown_method`. */
export const METHODS: Readonly<Record<string, MethodRun>> = {
  ...usersMethods,
  ...chatMethods,
  ...conversationsMethods,
  ...viewsMethods,
  ...filesMethods,
  ...appsMethods,
};
