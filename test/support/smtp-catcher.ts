/**
 * A real SMTP server for tests (smtp-server), with STARTTLS on its built-in self-signed
 * certificate and a login, that parses everything it accepts (mailparser).
 */
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { loadDirectory } from '../../infra/config-files';
import { temporalUiLinksSentOutside } from './internal-links';

export interface Received {
  mail: ParsedMail;
  envelopeTo: string[];
  /** True when the message came over TLS (after STARTTLS). */
  secure: boolean;
  /** When the server accepted it. */
  at: Date;
}

/**
 * Faults for drills (tools/bench/drill.ts): the server's answer to a new connection, to MAIL FROM and to
 * RCPT TO waits for `beforeAnswer`; when it rejects with an error carrying `responseCode` (e.g.
 * 451), the command is refused with that code. Without hooks the server answers at once.
 */
export interface SmtpCatcherHooks {
  beforeAnswer?(stage: 'connect' | 'mail' | 'rcpt', address?: string): Promise<void>;
}

export async function startSmtpCatcher(
  credentials = { user: 'referrals', pass: 'smtp-test-password' },
  hooks: SmtpCatcherHooks = {},
) {
  const received: Received[] = [];
  const gate = hooks.beforeAnswer;
  const gated = (
    stage: 'connect' | 'mail' | 'rcpt',
    address: string | undefined,
    callback: (err?: Error | null) => void,
  ) =>
    void gate!(stage, address).then(
      () => callback(),
      (err: Error) => callback(err),
    );
  const server = new SMTPServer({
    logger: false,
    disabledCommands: [],
    ...(gate && {
      onConnect: (_session, callback) => gated('connect', undefined, callback),
      onMailFrom: (address, _session, callback) => gated('mail', address.address, callback),
      onRcptTo: (address, _session, callback) => gated('rcpt', address.address, callback),
    }),
    onAuth(auth, _session, callback) {
      if (auth.username === credentials.user && auth.password === credentials.pass)
        callback(null, { user: auth.username });
      else callback(new Error('invalid login'));
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push({
            mail,
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            secure: session.secure,
            at: new Date(),
          });
          callback();
        },
        (err: Error) => callback(err),
      );
    },
  });
  // A client that gave up on a hanging answer leaves a reset socket behind: not an error here.
  if (gate) server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    received,
    env: {
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(port),
      SMTP_REQUIRE_TLS: 'true',
      SMTP_TLS_REJECT_UNAUTHORIZED: 'false', // the test server's certificate is self-signed
      SMTP_USER: credentials.user,
      SMTP_PASSWORD: credentials.pass,
      SMTP_FROM: 'referrals@county.example.org',
    },
    /** Stops the server, failing when any mail it took linked the Temporal UI for someone outside county staff. */
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      const leaks = temporalUiLinksSentOutside(received.flatMap(asMessages), undefined, DIRECTORY);
      if (leaks.length) throw new Error(`the Temporal UI was linked outside county staff:\n${leaks.join('\n')}`);
    },
  };
}

const DIRECTORY = loadDirectory(path.resolve(__dirname, '../../config/directory.json'));

/** One message per recipient, as the internal-links check reads them. */
function asMessages(r: Received) {
  return r.envelopeTo.map((to) => ({
    to,
    subject: r.mail.subject,
    text: `${r.mail.text ?? ''}\n${typeof r.mail.html === 'string' ? r.mail.html : ''}`,
  }));
}
