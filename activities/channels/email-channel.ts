/**
 * Email over SMTP with nodemailer, or, with no SMTP host configured, into a local mailbox folder
 * of `.eml` files a person can open in any mail program (the embedded default's catcher).
 */
import nodemailer from 'nodemailer';
import type { ChannelConfig } from '../../infra/channel-config';
import { messageIdFor } from './message-id';
import { writeFileInFolder } from '../../infra/folder-file';

interface EmailToSend {
  key: string;
  to: string;
  subject: string;
  text: string;
  attachments?: { filename: string; content: Buffer; contentType: string }[];
}

export interface EmailChannel {
  /** Resolves with the Message-ID once the server accepted the message; rejects otherwise. */
  send(email: EmailToSend): Promise<string>;
  close(): void;
}

export function createEmailChannel(config: ChannelConfig, mailboxDir: string): EmailChannel {
  const messageId = (key: string) => messageIdFor(key, config.MESSAGE_ID_DOMAIN);
  if (!config.SMTP_HOST) return new MailboxFolder(mailboxDir, config.SMTP_FROM, messageId);
  const transport = nodemailer.createTransport({
    pool: true,
    // A pooled transport silently resends a message whose connection dropped; the ledger decides
    // about resends instead, so a drop is an error here.
    maxRequeues: 0,
    // Well inside the activity's 1-minute start-to-close: a hanging server fails the attempt in
    // the worker (freeing its slot) instead of holding it for nodemailer's 10-minute default.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    host: config.SMTP_HOST,
    port: config.SMTP_PORT,
    secure: config.SMTP_SECURE,
    requireTLS: !config.SMTP_SECURE && config.SMTP_REQUIRE_TLS,
    ignoreTLS: !config.SMTP_SECURE && !config.SMTP_REQUIRE_TLS,
    tls: { rejectUnauthorized: config.SMTP_TLS_REJECT_UNAUTHORIZED, minVersion: 'TLSv1.2' },
    ...(config.SMTP_USER ? { auth: { user: config.SMTP_USER, pass: config.SMTP_PASSWORD! } } : {}),
  });
  return {
    async send(email) {
      const info = await transport.sendMail({ ...compose(email, config.SMTP_FROM), messageId: messageId(email.key) });
      if (info.rejected.length > 0) throw new Error(`SMTP server rejected ${info.rejected.length} recipient(s)`);
      return info.messageId;
    },
    close: () => transport.close(),
  };
}

function compose(email: EmailToSend, from: string) {
  return { from, to: email.to, subject: email.subject, text: email.text, attachments: email.attachments ?? [] };
}

/** The catcher: each message as `<key>.eml`, written once. */
class MailboxFolder implements EmailChannel {
  private readonly composer = nodemailer.createTransport({ streamTransport: true, buffer: true });
  constructor(
    private readonly dir: string,
    private readonly from: string,
    private readonly messageId: (key: string) => string,
  ) {}

  async send(email: EmailToSend): Promise<string> {
    const id = this.messageId(email.key);
    const info = await this.composer.sendMail({ ...compose(email, this.from), messageId: id });
    await writeFileInFolder(this.dir, `${encodeURIComponent(email.key)}.eml`, info.message as Buffer);
    return id;
  }

  close(): void {}
}
