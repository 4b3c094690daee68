import { Writable } from 'node:stream';
import { type Logger, createLogger } from '../../src/log.js';

/** A JSON logger whose lines a test reads back: what was logged, and that nothing secret was. */
export function captureLogs(level = 'debug'): {
  log: Logger;
  text: () => string;
  lines: () => Array<Record<string, unknown>>;
} {
  const written: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written.push(chunk.toString());
      done();
    },
  });
  return {
    log: createLogger({ format: 'json', level, destination }),
    text: () => written.join(''),
    lines: () =>
      written
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
