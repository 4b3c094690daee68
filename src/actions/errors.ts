import { BotError } from '../errors.js';

/**
 * An action cannot be planned with these placeholder values (`bad_request`),
 * or its config uses placeholders where they are not allowed
 * (`config_invalid`, which `actionProblems` reports at lint time). Nothing
 * has run when this is thrown; the message is a sentence for the user.
 */
export class ActionInputError extends BotError {
  constructor(message: string, code: 'bad_request' | 'config_invalid' = 'bad_request') {
    super(code, message);
    this.name = 'ActionInputError';
  }
}
