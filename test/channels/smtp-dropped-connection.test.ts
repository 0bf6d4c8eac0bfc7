/**
 * A dropped SMTP connection after the message went out must fail the send (so the ledger records
 * it) and must not be followed by a second copy. nodemailer 10.6's pool only requeues a message
 * none of whose bytes were sent; `maxRequeues: 0` (email-channel.ts) leaves even that decision to
 * the ledger. This test checks the outcome that matters: one copy, and an error to record.
 */
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createEmailChannel } from '../../activities/channels/email-channel';
import { loadChannelConfig } from '../../infra/channel-config';

/** A minimal SMTP server that takes the whole message, then drops the connection instead of answering. */
async function startDroppingServer() {
  let messagesReceived = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let inData = false;
    let buffer = '';
    socket.write('220 drop.test ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      if (inData) {
        if (buffer.includes('\r\n.\r\n')) {
          messagesReceived++;
          socket.end(); // the message arrived; the answer never does
        }
        return;
      }
      let i: number;
      while ((i = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, i).toUpperCase();
        buffer = buffer.slice(i + 2);
        if (line.startsWith('EHLO') || line.startsWith('HELO')) socket.write('250 drop.test\r\n');
        else if (
          line.startsWith('MAIL') ||
          line.startsWith('RCPT') ||
          line.startsWith('RSET') ||
          line.startsWith('NOOP')
        )
          socket.write('250 OK\r\n');
        else if (line.startsWith('DATA')) {
          inData = true;
          socket.write('354 go ahead\r\n');
          return;
        } else if (line.startsWith('QUIT')) socket.end('221 bye\r\n');
        else socket.write('502 not implemented\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    received: () => messagesReceived,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

test('a dropped connection after the message was sent fails the send and is not resent by the pool', async () => {
  const server = await startDroppingServer();
  const email = createEmailChannel(
    loadChannelConfig({ SMTP_HOST: '127.0.0.1', SMTP_PORT: String(server.port), SMTP_REQUIRE_TLS: 'false' }),
    '/nonexistent',
  );
  try {
    await expect(
      email.send({ key: 'R-1/escalation/2', to: 'dwhitfield@county.example.org', subject: 'Escalation', text: 'x' }),
    ).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 500)); // time for a requeued resend to arrive, if there were one
    expect(server.received()).toBe(1);
  } finally {
    email.close();
    await server.close();
  }
});
