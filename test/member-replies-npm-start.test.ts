/**
 * Members' SMS replies, through what `npm start` runs: Twilio (a loopback speaking its API) texts
 * a Spanish-speaking member, the member replies, and Twilio posts the signed reply to the web app.
 * STOP answers in Spanish, records the opt-out in the one app database the worker reads too (no
 * later text to that number from any transfer), and the case manager gets a task; HELP answers,
 * START lets texts through again, and C on two texted open transfers becomes tasks, not a guess; unsigned or wrongly signed posts are refused.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import twilio from 'twilio';
import { stopLeftoverAppDb } from '../infra/app-db/embedded-server';
import { ANY_HOUR_POLICY_FILE } from './support/local-dev-server';
import { freshStackPlace, NpmStart, sleep, stackEnv } from './support/npm-start';
import { ROOT, runCli } from './support/referrals-cli';
import { codecEnv } from './support/test-codec';
import { temporalUiLinksSentOutside } from './support/internal-links';
import { loadDirectory } from '../infra/config-files';
import { startTwilioLoopback, TEST_AUTH_TOKEN } from './support/twilio-loopback';
import { tokenAfterFirstStart } from './support/web-stack';

jest.setTimeout(240_000);

const PHONE = '+17075550311';
let twilioApi: Awaited<ReturnType<typeof startTwilioLoopback>>;
let dataDir: string;
let run: NpmStart;
let webUrl: string;
let cliEnv: Record<string, string>;
let messageCount = 0;

beforeAll(async () => {
  twilioApi = await startTwilioLoopback();
  const place = await freshStackPlace('referrals-replies-');
  dataDir = place.dataDir;
  webUrl = `http://127.0.0.1:${place.webPort}`;
  run = new NpmStart({
    ...stackEnv(place),
    ...twilioApi.env,
    ...codecEnv(),
    // Transfers start on the any-hour policy: the consent request texts go out at once, whatever the hour CI runs.
    REFERRALS_POLICY_FILE: ANY_HOUR_POLICY_FILE,
  });
  await run.waitFor(/^Ready\./m, 120_000);
  // The CLI acts as the intake account, with the token the admin issues it.
  cliEnv = { REFERRALS_API_URL: webUrl, REFERRALS_API_TOKEN: await tokenAfterFirstStart(webUrl, dataDir, 'intake') };
});

afterAll(async () => {
  // Ctrl-C, as a person stops it: the worker drains, then the app database stops.
  run?.interrupt();
  await run?.exitWithin(30_000).catch(() => run.kill());
  await stopLeftoverAppDb(dataDir);
  await twilioApi?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A transfer for the Spanish-speaking member who prefers texts, moved to where consent is asked for. */
async function startTransferForMember(): Promise<string> {
  const sample = JSON.parse(readFileSync(path.join(ROOT, 'fixtures', 'sample-transfer.json'), 'utf8'));
  const file = path.join(dataDir, `transfer-${Date.now()}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      ...sample,
      member: { ...sample.member, phone: PHONE, language: 'es', contactPreferences: ['sms'] },
    }),
  );
  const referralId = (await cli(['start', '--file', file])).trim();
  await cli(['event', referralId, 'member-informed', '--concerns-addressed']);
  return referralId;
}

async function cli(args: string[]): Promise<string> {
  const result = await runCli(args, cliEnv);
  if (result.code !== 0)
    throw new Error(`referrals ${args.join(' ')}: exit ${result.code}\n${result.stderr}\n${run.output.slice(-6000)}`);
  return result.stdout;
}

const textsToMember = () => twilioApi.messages().filter((m) => m.form.To === PHONE);

async function until<T>(what: string, read: () => Promise<T | undefined> | T | undefined, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${run.output.slice(-3000)}`);
    await sleep(250);
  }
}

/** The case manager's task emails (the mailbox folder: no SMTP is configured). */
async function caseManagerMail(subject: RegExp) {
  const folder = path.join(dataDir, 'mailbox');
  let files: string[] = [];
  try {
    files = readdirSync(folder).filter((f) => f.endsWith('.eml'));
  } catch {
    return [];
  }
  const mails = await Promise.all(files.map((f) => simpleParser(readFileSync(path.join(folder, f)))));
  return mails.filter((m) => subject.test(m.subject ?? ''));
}

/** Posts a member's reply as Twilio does: a form, signed over the public URL and every field. */
async function reply(body: string, opts: { signature?: string } = {}) {
  const params = {
    MessageSid: `SM${String(++messageCount).padStart(32, '0')}`,
    AccountSid: twilioApi.env.TWILIO_ACCOUNT_SID,
    From: PHONE,
    To: twilioApi.env.TWILIO_FROM_NUMBER,
    Body: body,
  };
  const signature =
    opts.signature ??
    twilio.getExpectedTwilioSignature(TEST_AUTH_TOKEN, `${twilioApi.env.PUBLIC_BASE_URL}/webhooks/twilio/sms`, params);
  const res = await fetch(`${webUrl}/webhooks/twilio/sms`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    body: new URLSearchParams(params).toString(),
  });
  return { status: res.status, text: await res.text() };
}

test('STOP in Spanish: confirmed in Spanish, no later text from any transfer, a task for the case manager; HELP, START, C; bad signatures refused', async () => {
  const first = await startTransferForMember();
  // The consent request goes out as a text, in Spanish, with no health information.
  const [consentText] = await until('the consent request text', () =>
    textsToMember().length > 0 ? textsToMember() : undefined,
  );
  expect(consentText!.form.Body).toMatch(/necesita su firma en un formulario/);

  // Unsigned, wrongly signed and signed-for-another-token posts change nothing.
  expect((await reply('STOP', { signature: '' })).status).toBe(403);
  expect(
    (
      await reply('STOP', {
        signature: twilio.getExpectedTwilioSignature('another-token-0123456789', `${webUrl}/webhooks/twilio/sms`, {}),
      })
    ).status,
  ).toBe(403);

  const stop = await reply('STOP');
  expect(stop.status).toBe(200);
  expect(stop.text).toContain(
    '<Message>North County Care Team: ya no recibirá mensajes de texto nuestros. Responda START para volver a recibirlos.',
  );
  const [task] = await until('the case manager task', async () => {
    const found = await caseManagerMail(/the member opted out of texts/);
    return found.length ? found : undefined;
  });
  expect(task!.to).toMatchObject({ text: 'ralvarez@county.example.org' });
  expect(task!.text).toContain(`${first}`);
  expect(task!.text).toContain(`/transfers/${first}`);

  // A second transfer for the same number: its consent request becomes the case manager's task, not a text.
  const textsBefore = textsToMember().length;
  const second = await startTransferForMember();
  await until('the second transfer handed to the case manager', async () => {
    const found = await caseManagerMail(new RegExp(second));
    return found.some((m) => /opted out of text messages/.test(m.text ?? '')) ? true : undefined;
  });
  expect(textsToMember()).toHaveLength(textsBefore);

  const help = await reply('HELP');
  expect(help.text).toContain('para ayuda llame al');

  const start = await reply('START');
  expect(start.text).toContain('volverá a recibir nuestros mensajes');
  // Opted back in: a third transfer texts the member again.
  await startTransferForMember();
  await until('a text after START', () => (textsToMember().length > textsBefore ? true : undefined));

  // C with two texted transfers open is not guessed: each case manager is asked to confirm with the member.
  const confirm = await reply('C');
  expect(confirm.text).toContain('le llamará para confirmar');
  await until('the tasks to check the confirmation', async () =>
    (await caseManagerMail(/an appointment confirmation to check/)).length === 2 ? true : undefined,
  );
  expect(run.output).not.toContain(PHONE);
  // Nothing that went to anyone outside county staff linked the Temporal UI.
  const mails = (await caseManagerMail(/./)).map((m) => ({
    to: m.to && !Array.isArray(m.to) ? m.to.text : '',
    subject: m.subject,
    text: m.text ?? '',
  }));
  expect(mails.length).toBeGreaterThan(3);
  expect(
    temporalUiLinksSentOutside(
      mails,
      'http://localhost:8233',
      loadDirectory(path.join(ROOT, 'config', 'directory.json')),
    ),
  ).toEqual([]);
});

test('status callbacks: signed ones are recorded, unsigned ones refused', async () => {
  const params = {
    MessageSid: `SM${'f'.repeat(32)}`,
    MessageStatus: 'delivered',
    AccountSid: twilioApi.env.TWILIO_ACCOUNT_SID,
    To: PHONE,
  };
  const post = (signature: string) =>
    fetch(`${webUrl}/webhooks/twilio/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      body: new URLSearchParams(params).toString(),
    });
  expect((await post('nope')).status).toBe(403);
  expect(
    (
      await post(
        twilio.getExpectedTwilioSignature(
          TEST_AUTH_TOKEN,
          `${twilioApi.env.PUBLIC_BASE_URL}/webhooks/twilio/status`,
          params,
        ),
      )
    ).status,
  ).toBe(204);
});
