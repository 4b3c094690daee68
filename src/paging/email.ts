import nodemailer from 'nodemailer';
import type { PagingConfig } from '../config/paging.js';
import type { PersonChannel } from './port.js';
import { type RetryOptions, ProviderError, sendWithRetries } from './retry.js';
import { emailSubject, emailText } from './texts.js';

type SmtpConfig = NonNullable<PagingConfig['smtp']>;

/**
 * Email over SMTP with nodemailer: STARTTLS required on 587 (never plain text), TLS from the start on 465. SMTP
 * has no idempotency key: once the message's DATA went out, a lost answer is "may have been sent", not a resend.
 * A 4xx is the server's "try later" and is retried; a 5xx is a refusal and is not.
 */
export function emailChannel(config: SmtpConfig, retry: Omit<RetryOptions, 'idempotent'> = {}): PersonChannel {
  return {
    via: 'email',
    send: (to, page, idempotencyKey) =>
      sendWithRetries(config, { ...retry, idempotent: false }, async (signal) => {
        if (!to.email)
          throw new ProviderError(`no email address for ${to.user}`, { retryable: false, uncertain: false });
        const sent = { data: false };
        const transport = nodemailer.createTransport({
          host: config.host,
          port: config.port,
          secure: config.security === 'tls',
          requireTLS: config.security === 'starttls',
          tls: { rejectUnauthorized: config.verify_certificate },
          ...(config.user && config.password
            ? { auth: { user: config.user.reveal(), pass: config.password.reveal() } }
            : {}),
          connectionTimeout: config.timeout,
          greetingTimeout: config.timeout,
          socketTimeout: config.timeout,
          // The transaction log is read here, for one thing only: whether DATA went out. It is never printed.
          transactionLog: true,
          logger: watchFor('DATA', () => (sent.data = true)),
        });
        const abort = () => transport.close();
        signal.addEventListener('abort', abort, { once: true });
        try {
          const info = await transport.sendMail({
            from: config.from,
            to: to.email,
            subject: emailSubject(page),
            text: emailText(page),
            messageId: `<${idempotencyKey.replace(/[^\w.-]/g, '.')}@incident-bot>`,
          });
          return info.messageId;
        } catch (error) {
          throw classify(error, sent.data || signal.aborted);
        } finally {
          signal.removeEventListener('abort', abort);
          transport.close();
        }
      }),
  };
}

function classify(error: unknown, mayHaveGone: boolean): ProviderError {
  const e = error as { responseCode?: unknown; code?: unknown; message?: unknown };
  const code = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const what = typeof e.code === 'string' ? e.code : 'error';
  if (code !== undefined && code >= 500)
    return new ProviderError(`the mail server refused the message (${code})`, { retryable: false, uncertain: false });
  if (code !== undefined && code >= 400)
    return new ProviderError(`the mail server said to try later (${code})`, { retryable: true, uncertain: false });
  if (what === 'EAUTH')
    return new ProviderError('the mail server refused the login', { retryable: false, uncertain: false });
  if (mayHaveGone)
    return new ProviderError(`the mail server's answer was lost (${what})`, { retryable: true, uncertain: true });
  return new ProviderError(`the mail server could not be reached (${what})`, { retryable: true, uncertain: false });
}

/** A nodemailer logger that tells when the client sent one SMTP command. */
function watchFor(command: string, seen: () => void) {
  const ignore = () => undefined;
  return {
    level: ignore,
    trace: ignore,
    info: ignore,
    warn: ignore,
    error: ignore,
    fatal: ignore,
    debug: (entry: { tnx?: string }, message: string) => {
      if (entry.tnx === 'client' && message === command) seen();
    },
  };
}
