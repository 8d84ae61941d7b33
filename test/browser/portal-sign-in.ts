// The portal's sign-in as a customer goes through it: on the sign-in form, their email, "Send me a
// code", and the mail that brings the code and the link (read from the test's SMTP listener).
import type { Page } from 'playwright-core';
import { signInCodeOf, type SmtpListener } from '../fixtures/smtp.js';

/** Asks for a sign-in code on the page's sign-in form; answers the mailed code and the link's token. */
export async function requestPortalCode(page: Page, smtp: SmtpListener, email: string): Promise<{ code: string; token: string }> {
  await page.getByLabel('Email address').fill(email);
  const since = smtp.messages.length;
  await page.getByRole('button', { name: 'Send me a code' }).click();
  return signInCodeOf(await smtp.waitFor(email, since));
}
