import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer, relayFromUrl } from './mailer.js';
import { startSmtpListener, type SmtpListener } from '../../test/fixtures/smtp.js';

describe('platform mailer', () => {
  let platform: SmtpListener;
  let tenant: SmtpListener;
  beforeAll(async () => {
    platform = await startSmtpListener();
    tenant = await startSmtpListener();
  });
  afterAll(async () => {
    await platform.close();
    await tenant.close();
  });

  it('reads a relay URL: scheme, port defaults, credentials and plain SMTP', () => {
    expect(relayFromUrl('smtps://me%40x.com:p%2Fw@mail.example.com')).toEqual({
      host: 'mail.example.com',
      port: 465,
      secure: true,
      ignoreTLS: false,
      user: 'me@x.com',
      password: 'p/w',
    });
    expect(relayFromUrl('smtp://127.0.0.1:2525?tls=off')).toMatchObject({ port: 2525, secure: false, ignoreTLS: true, user: null });
    expect(relayFromUrl('smtp://relay.example.com').port).toBe(587);
  });

  it('sends platform mail from the configured address, and tenant mail through the tenant relay', async () => {
    const mailer = createMailer({ smtpUrl: platform.url, from: 'Rapport <no-reply@rapport.example>' });
    expect(mailer.hasPlatformRelay).toBe(true);
    const sent = await mailer.send({ to: 'a@example.com', subject: '您好', text: '正文 body' });
    expect(sent.accepted).toEqual(['a@example.com']);
    const got = await platform.waitFor('a@example.com');
    expect(got.from).toBe('no-reply@rapport.example');
    expect(got.mail.subject).toBe('您好');
    expect(got.mail.text?.trim()).toBe('正文 body');

    await mailer.send(
      { from: 'shop@tenant.example', to: 'b@example.com', subject: 'hi', text: 'x', headers: { 'List-Unsubscribe': '<https://u.example/1>' } },
      { host: tenant.host, port: tenant.port, ignoreTLS: true },
    );
    const viaTenant = await tenant.waitFor('b@example.com');
    expect(viaTenant.from).toBe('shop@tenant.example');
    expect(viaTenant.data).toContain('List-Unsubscribe: <https://u.example/1>');
    expect(platform.messages.some((m) => m.to.includes('b@example.com'))).toBe(false);
    mailer.close();
  });

  it('refuses platform mail when no relay is configured, and reports a relay that is down', async () => {
    const mailer = createMailer({ from: 'x@example.com' });
    expect(mailer.hasPlatformRelay).toBe(false);
    await expect(mailer.send({ to: 'a@example.com', text: 'x' })).rejects.toThrow(/RAPPORT_SMTP_URL/);
    await expect(mailer.send({ to: 'a@example.com', text: 'x' }, { host: '127.0.0.1', port: 1, ignoreTLS: true })).rejects.toThrow();
  });
});
