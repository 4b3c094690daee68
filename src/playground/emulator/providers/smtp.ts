import { EventEmitter } from 'node:events';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { type Fault, type FaultOptions, Faults, type SlackFault } from '../faults.js';
import { randomHex } from '../ids.js';
import type { EmailRecord } from './records.js';

/**
 * An SMTP server that keeps the messages it accepts: the mail relay the email channel talks to in tests and the
 * playground. STARTTLS with smtp-server's built-in test certificate (so the client's `verify_certificate: false`),
 * AUTH PLAIN/LOGIN with the user and password it was given, and refused without TLS. Faults, per message:
 * `{ status: 451 }` (try later) or `{ status: 550 }` (refused) after DATA, `{ hang: true }` (DATA never answered),
 * `{ dropAfterDoing: true }` (the message is kept, the connection drops before the 250: the answer is lost).
 */
export class SmtpEmulator extends EventEmitter {
  readonly messages: EmailRecord[] = [];
  readonly user = `pager-${randomHex(6)}`;
  readonly password = randomHex(12);
  port = 0;
  private readonly faults = new Faults();
  private readonly server: SMTPServer;

  private constructor(private readonly now: () => Date) {
    super();
    this.setMaxListeners(0);
    this.server = new SMTPServer({
      logger: false,
      authMethods: ['PLAIN', 'LOGIN'],
      authOptional: false,
      // A login only over TLS: the client must have upgraded with STARTTLS first.
      allowInsecureAuth: false,
      onAuth: (auth, _session, callback) =>
        auth.username === this.user && auth.password === this.password
          ? callback(null, { user: auth.username })
          : callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 })),
      onData: (stream, session, callback) => this.receive(stream, session, callback),
    });
  }

  static async start(now: () => Date = () => new Date()): Promise<SmtpEmulator> {
    const emulator = new SmtpEmulator(now);
    await new Promise<void>((resolve, reject) => {
      emulator.server.server.once('error', reject);
      emulator.server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = emulator.server.server.address();
    emulator.port = typeof address === 'object' && address ? address.port : 0;
    return emulator;
  }

  /** The next message(s) fail this way (default once). */
  fail(fault: SlackFault, options: FaultOptions = {}): Fault {
    return this.faults.arm('smtp', fault, options);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** The messages to one address. */
  to(address: string): EmailRecord[] {
    return this.messages.filter((m) => m.to.includes(address));
  }

  async close(): Promise<void> {
    this.faults.clear();
    for (const connection of this.server.connections) connection._socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private receive(
    stream: SMTPServerDataStream,
    session: SMTPServerSession,
    callback: (err?: Error | null, message?: string) => void,
  ): void {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      const armed = this.faults.take('smtp', {}, () => true);
      const fault = armed?.fault;
      const keep = () => {
        this.messages.push(parseMessage(Buffer.concat(chunks).toString('utf8'), session, this.now()));
        this.emit('change');
      };
      if (fault && 'status' in fault)
        return callback(Object.assign(new Error(`emulated ${fault.status}`), { responseCode: fault.status }));
      if (fault && 'hang' in fault) {
        armed.whenReleased(() => this.drop(session));
        return;
      }
      keep();
      if (fault && 'dropAfterDoing' in fault) return this.drop(session);
      callback(null, `OK: queued as ${randomHex(6)}`);
    });
  }

  private drop(session: SMTPServerSession): void {
    for (const connection of this.server.connections) if (connection.id === session.id) connection._socket.destroy();
  }
}

/** Enough of RFC 5322 for what the bot sends: the headers, a quoted-printable or plain text body, encoded words. */
function parseMessage(raw: string, session: SMTPServerSession, at: Date): EmailRecord {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers = new Map(
    head
      .split('\r\n')
      .map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
  );
  const body = raw.slice(split + 4);
  const text = /quoted-printable/i.test(headers.get('content-transfer-encoding') ?? '')
    ? decodeQuotedPrintable(body)
    : body;
  return {
    kind: 'email',
    from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
    to: session.envelope.rcptTo.map((r) => r.address),
    subject: decodeWords(headers.get('subject') ?? ''),
    text: text.replace(/\r\n/g, '\n'),
    secure: session.secure,
    ...(typeof session.user === 'string' ? { user: session.user } : {}),
    at,
  };
}

function decodeQuotedPrintable(text: string): string {
  const bytes = text.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => `%${hex}`);
  try {
    return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/gi, '%25'));
  } catch {
    return text;
  }
}

function decodeWords(text: string): string {
  return text.replace(/=\?utf-8\?([QB])\?([^?]*)\?=\s*/gi, (_, how: string, data: string) =>
    how.toUpperCase() === 'B'
      ? Buffer.from(data, 'base64').toString('utf8')
      : decodeQuotedPrintable(data.replace(/_/g, ' ')),
  );
}
