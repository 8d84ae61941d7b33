// Delivers a sign-in code and link by email over the platform relay (RAPPORT_SMTP_URL), in the customer's language.
import type { Logger } from 'pino';
import type { Mailer } from '../../platform/mailer.js';

export interface SignInMessage {
  to: string;
  code: string;
  link: string;
  locale: string;
  tenantName: string;
}
export type SignInMailer = (m: SignInMessage) => Promise<void>;

const TEXT = {
  en: (m: SignInMessage) => ({
    subject: `Your ${m.tenantName} sign-in code: ${m.code}`,
    text: `Your code to sign in to ${m.tenantName} is ${m.code}\n\nOr open this link: ${m.link}\n\nThe code and link work once, for 10 minutes. If you did not ask for them, ignore this message.`,
  }),
  zh: (m: SignInMessage) => ({
    subject: `${m.tenantName} 登录验证码：${m.code}`,
    text: `您登录 ${m.tenantName} 的验证码是 ${m.code}\n\n或打开此链接：${m.link}\n\n验证码和链接仅可使用一次，10 分钟内有效。如非本人操作，请忽略此邮件。`,
  }),
};

/** Sign-in mail through the platform mailer; with no relay configured, nothing leaves (the code may go to the log in development). */
export function createSignInMailer(opts: { mailer: Mailer; devCodes: boolean; log: Logger }): SignInMailer {
  return async (m) => {
    if (!opts.mailer.hasPlatformRelay) {
      if (opts.devCodes)
        opts.log.warn({ code: m.code, link: m.link }, 'portal sign-in (RAPPORT_PORTAL_DEV_CODES: shown here because no SMTP server is configured)');
      else opts.log.warn('a portal sign-in code could not be sent: set RAPPORT_SMTP_URL');
      return;
    }
    const t = (m.locale.startsWith('zh') ? TEXT.zh : TEXT.en)(m);
    await opts.mailer.send({ to: m.to, subject: t.subject, text: t.text });
  };
}
