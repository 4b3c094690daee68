import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { envFields } from '../../src/config/fields.js';
import { pagingSchema } from '../../src/config/paging.js';
import { createPager } from '../../src/paging/index.js';
import type { PageContent } from '../../src/paging/port.js';
import { type PagingEmulators, startPagingEmulators } from '../support/paging.js';

const PAGE: PageContent = {
  key: 'INC-7',
  title: 'Login failing',
  summary: '401 for everyone',
  severity: 'sev2',
  level: 1,
};
const ADA = { user: 'U0ONCALL01', email: 'ada@example.com' };

describe('paging by email over SMTP', () => {
  let e: PagingEmulators;
  beforeAll(async () => {
    e = await startPagingEmulators();
  });
  afterAll(() => e.close());
  beforeEach(() => e.smtp.clearFaults());

  const channel = (overrides: Record<string, unknown> = {}) => {
    const config = pagingSchema(envFields(e.env)).parse(e.block({ smtp: overrides }));
    return createPager(config, 'http://127.0.0.1:1').channel('email')!;
  };

  it('sends the page over STARTTLS, logged in, and the relay keeps it', async () => {
    const outcome = await channel().send(ADA, PAGE, 'page-1');
    expect(outcome).toMatchObject({ ok: true, attempts: 1 });
    const [message] = e.smtp.to(ADA.email);
    expect(message).toMatchObject({ subject: '[sev2] INC-7: Login failing', secure: true, user: e.smtp.user });
    expect(message!.text).toContain('/incident ack INC-7');
  });

  it('never falls back to plain text when TLS cannot be had', async () => {
    const outcome = await channel({ port: e.smtp.port, security: 'tls' }).send(ADA, PAGE, 'page-tls');
    expect(outcome).toMatchObject({ ok: false, uncertain: false });
  });

  it('tries again when the server says to try later (451)', async () => {
    e.smtp.fail({ status: 451 });
    const before = e.smtp.to(ADA.email).length;
    expect(await channel().send(ADA, PAGE, 'page-2')).toMatchObject({ ok: true, attempts: 2 });
    expect(e.smtp.to(ADA.email)).toHaveLength(before + 1);
  });

  it('does not try again when the server refuses the message (550)', async () => {
    e.smtp.fail({ status: 550 }, { times: 5 });
    const outcome = await channel().send(ADA, PAGE, 'page-3');
    expect(outcome).toMatchObject({ ok: false, attempts: 1, uncertain: false });
    expect(outcome.ok ? '' : outcome.error).toContain('refused the message (550)');
  });

  it('says "may have been sent" and does not resend when the answer to the message is lost', async () => {
    e.smtp.fail({ dropAfterDoing: true });
    const before = e.smtp.to(ADA.email).length;
    expect(await channel().send(ADA, PAGE, 'page-4')).toMatchObject({ ok: false, attempts: 1, uncertain: true });
    expect(e.smtp.to(ADA.email)).toHaveLength(before + 1);
  });

  it('gives up on a server that never answers, as "may have been sent"', async () => {
    const hang = e.smtp.fail({ hang: true });
    const outcome = await channel({ timeout: '300ms' }).send(ADA, PAGE, 'page-5');
    hang.release();
    expect(outcome).toMatchObject({ ok: false, uncertain: true });
  });

  it('reports a wrong password as a refusal, not retried', async () => {
    const config = pagingSchema(envFields({ ...e.env, SMTP_PASSWORD: 'wrong' })).parse(e.block());
    const outcome = await createPager(config, 'http://127.0.0.1:1').channel('email')!.send(ADA, PAGE, 'page-6');
    expect(outcome).toMatchObject({ ok: false, attempts: 1, uncertain: false });
  });
});
