/**
 * A real SMTP server for tests (smtp-server), with STARTTLS on its built-in self-signed
 * certificate and a login, that parses everything it accepts (mailparser).
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface Received {
  mail: ParsedMail;
  envelopeTo: string[];
  /** True when the message came over TLS (after STARTTLS). */
  secure: boolean;
}

export async function startSmtpCatcher(credentials = { user: 'referrals', pass: 'smtp-test-password' }) {
  const received: Received[] = [];
  const server = new SMTPServer({
    logger: false,
    disabledCommands: [],
    onAuth(auth, _session, callback) {
      if (auth.username === credentials.user && auth.password === credentials.pass) callback(null, { user: auth.username });
      else callback(new Error('invalid login'));
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push({ mail, envelopeTo: session.envelope.rcptTo.map((r) => r.address), secure: session.secure });
          callback();
        },
        (err: Error) => callback(err),
      );
    },
  });
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
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
