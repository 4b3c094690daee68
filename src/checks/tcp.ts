import { connect } from 'node:net';
import { formatMs } from './compare.js';
import type { Runner } from './types.js';

/** Passes when the port accepts a connection; nothing is sent, and the socket is closed at once. */
export const runTcp: Runner<'tcp'> = (config, attempt) =>
  new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect({ host: config.host, port: config.port });
    const close = () => socket.destroy();
    attempt.signal.addEventListener('abort', close, { once: true });
    const done = () => attempt.signal.removeEventListener('abort', close);
    socket.once('connect', () => {
      attempt.details.push(`✓ connected to ${config.host}:${config.port} in ${formatMs(performance.now() - started)}`);
      done();
      socket.destroy();
      resolve({});
    });
    socket.once('error', (error) => {
      done();
      socket.destroy();
      reject(error);
    });
  });
