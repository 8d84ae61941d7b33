// Rapport's own inbound SMTP server: mail for a channel's address (or its reply+token form) is
// accepted, parsed and stored; mail for any other address is refused at RCPT TO, so the listener is
// never an open relay.
import { SMTPServer } from 'smtp-server';
import type { Logger } from 'pino';
import type { ChannelStore, Channel } from './manage-channels.js';
import { emailToInbound, parseEmail, splitReplyAddress } from './channels/email.js';
import type { InboundMessage, ReceiveResult } from './receive-message.js';

const MAX_SIZE = 25 * 1024 * 1024;

export interface SmtpListener {
  port: number;
  close(): Promise<void>;
}

export async function startSmtpListener(opts: {
  port: number;
  host?: string;
  hostname?: string;
  log: Logger;
  channels: ChannelStore;
  receive: (m: InboundMessage) => Promise<ReceiveResult>;
}): Promise<SmtpListener> {
  const server = new SMTPServer({
    name: opts.hostname ?? 'rapport',
    banner: 'Rapport inbound mail',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: MAX_SIZE,
    logger: false,
    async onRcptTo(address, _session, callback) {
      try {
        const { base } = splitReplyAddress(address.address);
        const channels = await opts.channels.findByAddress(base);
        if (!channels.length) return callback(Object.assign(new Error('No such mailbox here'), { responseCode: 550 }));
        callback();
      } catch (err) {
        opts.log.warn({ err: (err as Error).message }, 'SMTP recipient lookup failed');
        callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
      }
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded)
          return callback(Object.assign(new Error('Message too large'), { responseCode: 552 }));
        try {
          const mail = await parseEmail(Buffer.concat(chunks));
          for (const rcpt of session.envelope.rcptTo) {
            const { base } = splitReplyAddress(rcpt.address);
            const channels: Channel[] = await opts.channels.findByAddress(base);
            for (const channel of channels) {
              // MAIL FROM:<> (the null sender of bounces and auto-replies) arrives as an empty address.
              const inbound = emailToInbound(channel, mail, rcpt.address, 'smtp', session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined);
              if (!inbound) continue;
              if (!inbound.externalId) inbound.externalId = `smtp:${session.id}`;
              await opts.receive(inbound);
            }
          }
          callback();
        } catch (err) {
          // A temporary failure makes the sending server retry later; Message-ID dedup absorbs the retry.
          opts.log.error({ err: (err as Error).message }, 'SMTP message not stored');
          callback(Object.assign(new Error('Temporary failure, try again later'), { responseCode: 451 }));
        }
      });
    },
  });
  server.on('error', (err) => opts.log.warn({ err: err.message }, 'SMTP listener error'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '0.0.0.0', () => resolve());
  });
  const address = (server as unknown as { server: { address(): { port: number } } }).server.address();
  return {
    port: address.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
