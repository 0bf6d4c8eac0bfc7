/**
 * A loopback server that speaks the part of Twilio's REST API the SMS channel uses
 * (POST /2010-04-01/Accounts/{AccountSid}/Messages.json), checking what a real Twilio checks
 * first: Basic auth with the account's SID and token, and a form body with To, From and Body.
 * The official client reaches it through a custom httpClient that rewrites the host.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rewritingHttpClient } from '../../activities/channels/sms-channel';

export const TEST_ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
export const TEST_AUTH_TOKEN = 'twilio-test-auth-token-0123456789';

interface TwilioRequest {
  method: string;
  path: string;
  authorized: boolean;
  contentType: string | undefined;
  form: Record<string, string>;
}

export async function startTwilioLoopback(opts: { unsubscribed?: Set<string>; invalid?: Set<string> } = {}) {
  const requests: TwilioRequest[] = [];
  const server = createServer(async (req, res) => {
    const form = Object.fromEntries(new URLSearchParams(await body(req)));
    const expectedAuth = `Basic ${Buffer.from(`${TEST_ACCOUNT_SID}:${TEST_AUTH_TOKEN}`).toString('base64')}`;
    const request = {
      method: req.method ?? '',
      path: req.url ?? '',
      authorized: req.headers.authorization === expectedAuth,
      contentType: req.headers['content-type'],
      form,
    };
    requests.push(request);
    const reply = (status: number, json: unknown) => {
      // A socket per request: the one client is shared by every test, and a kept-alive socket
      // the server closes as idle while the client reuses it fails the next test with ECONNRESET
      // (seen under CI load, where setting up a test's app database outlasts the 5 s keep-alive).
      res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify(json));
    };
    if (!request.authorized) return reply(401, { code: 20003, message: 'Authenticate', status: 401 });
    if (req.method !== 'POST' || req.url !== `/2010-04-01/Accounts/${TEST_ACCOUNT_SID}/Messages.json`)
      return reply(404, { code: 20404, message: 'Not found', status: 404 });
    if (!form.To || !form.From || !form.Body)
      return reply(400, { code: 21604, message: 'A required parameter is missing', status: 400 });
    if (opts.invalid?.has(form.To))
      return reply(400, {
        code: 21211,
        message: `The 'To' number ${form.To} is not a valid phone number.`,
        more_info: 'https://www.twilio.com/docs/errors/21211',
        status: 400,
      });
    if (opts.unsubscribed?.has(form.To))
      return reply(400, {
        code: 21610,
        message: 'Attempt to send to unsubscribed recipient',
        more_info: 'https://www.twilio.com/docs/errors/21610',
        status: 400,
      });
    reply(201, {
      sid: `SM${randomBytes(16).toString('hex')}`,
      account_sid: TEST_ACCOUNT_SID,
      to: form.To,
      from: form.From,
      body: form.Body,
      status: 'queued',
      num_segments: '1',
      direction: 'outbound-api',
      api_version: '2010-04-01',
      uri: '',
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const apiBaseUrl = `http://127.0.0.1:${port}`;
  return {
    requests,
    messages: () => requests.filter((r) => r.method === 'POST' && r.path.endsWith('/Messages.json')),
    /** The official client, every request rewritten from *.twilio.com to this server. */
    clientOptions: rewritingHttpClient(apiBaseUrl),
    /** The same for a process configured from its environment (npm start). */
    env: {
      TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
      TWILIO_FROM_NUMBER: '+17075550199',
      PUBLIC_BASE_URL: 'https://referrals.county.example.org',
      TWILIO_API_BASE_URL: apiBaseUrl,
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let s = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (s += chunk));
    req.on('end', () => resolve(s));
    req.on('error', reject);
  });
}
