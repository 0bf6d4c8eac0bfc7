/**
 * Encryption end to end on the real dev server (CLI 1.9.1), with the real worker and client:
 * what the server stores holds no member information, key rotation keeps transfers going, and a
 * missing key makes the worker say which key and wait, losing nothing.
 */
import { rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import pino from 'pino';
import { TransferService } from '../../client/transfer-service';
import { workflowIdFor } from '../../domain/ids';
import { SA } from '../../domain/search-attributes';
import type { TransferState } from '../../domain/state';
import { loadRuntimeConfig } from '../../infra/config';
import { loadDirectory } from '../../infra/config-files';
import { referralsDataConverter } from '../../infra/data-converter';
import { loadKeyRing } from '../../infra/key-ring';
import { AesGcmPayloadCodec } from '../../infra/payload-codec';
import { createReferralsWorker } from '../../worker/create-worker';
import { dataFolderWithEhr, startLocalDevServer, envFor } from '../support/local-dev-server';
import { decodedText, keyIdOf, readStored } from '../support/raw-history';
import { freshKeyEnv } from '../support/test-codec';
import { consentFor, sampleRequest } from '../support/transfer-harness';
import { useFreshAppDb } from '../support/app-db';

jest.setTimeout(180_000);

// One set of keys for the file; each test chooses which of them a worker or client holds.
const ALL = freshKeyEnv(['key-a', 'key-b', 'key-c']).REFERRALS_CODEC_KEYS!.split(',');
const keys = (ids: string[], active: string) => ({
  REFERRALS_CODEC_KEYS: ALL.filter((entry) => ids.includes(entry.split(':')[0]!)).join(','),
  REFERRALS_CODEC_ACTIVE_KEY_ID: active,
});

let env: TestWorkflowEnvironment;
let dataDir: string;
let ehrDir: string;
let rawClient: Client;
const running: { stop(): Promise<void> }[] = [];

// The worker's send ledger and opt-outs, in a schema of this file's own.
useFreshAppDb();

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  env = await startLocalDevServer({ raw: true });
  ({ dataDir, ehrDir } = dataFolderWithEhr('referrals-encryption-'));
  // What anyone reading the server or its database sees: no codec.
  rawClient = new Client({ connection: env.connection, namespace: 'default' });
});

afterEach(async () => {
  for (const w of running.splice(0)) await w.stop();
});

afterAll(async () => {
  await env?.teardown();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const configWith = (keyEnv: Record<string, string>) =>
  loadRuntimeConfig({
    ...envFor(env.address, { dataDir, ehrDir }),
    ...keyEnv,
  });

/** The production worker factory, holding the given keys; its log lines are collected when asked. */
async function startWorker(keyEnv: Record<string, string>, logLines?: string[]): Promise<void> {
  const config = configWith(keyEnv);
  const logger = logLines
    ? pino(
        { level: 'info' },
        new Writable({
          write(chunk, _enc, done) {
            logLines.push(String(chunk));
            done();
          },
        }),
      )
    : undefined;
  const { worker, close } = await createReferralsWorker(config, {
    workflowBundle: { codePath: process.env.REFERRALS_WORKFLOW_BUNDLE! },
    workflowsPath: undefined,
    ...(logger ? { dataConverter: referralsDataConverter(loadKeyRing(config), logger) } : {}),
  });
  const run = worker.run();
  running.push({
    async stop() {
      worker.shutdown();
      await run;
      await close();
    },
  });
}

async function stopWorkers(): Promise<void> {
  for (const w of running.splice(0)) await w.stop();
}

function serviceWith(keyEnv: Record<string, string>): TransferService {
  const config = configWith(keyEnv);
  const client = new Client({
    connection: env.connection,
    namespace: 'default',
    dataConverter: referralsDataConverter(loadKeyRing(config)),
  });
  return new TransferService({
    config,
    directory: loadDirectory(config.REFERRALS_DIRECTORY_FILE),
    temporal: async () => client,
  });
}

async function until(
  service: TransferService,
  referralId: string,
  ready: (s: TransferState) => boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<TransferState> {
  const deadline = Date.now() + timeoutMs;
  let last: TransferState | undefined;
  for (;;) {
    last = await service.getTransfer(referralId).catch(() => undefined);
    if (last && ready(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; stage=${last?.stage}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

const CM = { role: 'case-manager', id: 'cm-alvarez' };
const PARTNER = { role: 'partner', id: 'bayside-outpatient' };

/** Member information of one transfer: the values its input and events carry. */
function secretsOf(tag: string) {
  const request = sampleRequest({
    reason: `Opioid use disorder in early remission, step down ${tag}`,
    member: { ...sampleRequest().member, name: `Jordan Sample ${tag}` },
  });
  return {
    request,
    informedNote: `Member worried about relapse after discharge ${tag}`,
    consentPurpose: `Continuity of SUD care at Bayside ${tag}`,
    handoffNote: `Daughter drives member to intake ${tag}`,
    withdrawReason: `Member hospitalized for withdrawal symptoms ${tag}`,
    list(): string[] {
      return [
        request.member.memberId,
        request.member.name!,
        request.member.planMemberId!,
        request.member.phone!,
        request.member.email!,
        request.reason,
        this.informedNote,
        this.consentPurpose,
        this.handoffNote,
      ];
    },
  };
}

/** inform-member through consent: where the packet is sent and the partner is waited on. */
async function throughConsent(
  service: TransferService,
  referralId: string,
  s: ReturnType<typeof secretsOf>,
): Promise<void> {
  await until(service, referralId, (t) => t.consentNeeded !== null, 'the provider lookup');
  await service.sendEvent(referralId, {
    type: 'member-informed',
    actor: CM,
    concernsAddressed: true,
    note: s.informedNote,
  });
  await until(service, referralId, (t) => t.stage === 'obtain-consent', 'obtain-consent');
  await service.sendEvent(referralId, {
    type: 'consent-recorded',
    actor: CM,
    consent: consentFor([{ providerId: 'bayside-outpatient' }], { purpose: s.consentPurpose }),
  });
  await until(service, referralId, (t) => t.requestSentAt !== undefined, 'the packet to be sent');
}

function expectNoneIn(bytes: Buffer, secrets: string[]): void {
  const found = secrets.filter((secret) => bytes.includes(Buffer.from(secret, 'utf8')));
  expect(found).toEqual([]);
}

test('complete transfers: the stored histories hold no member information; through the codec they do', async () => {
  const keyEnv = keys(['key-a'], 'key-a');
  await startWorker(keyEnv);
  const service = serviceWith(keyEnv);

  // A transfer linked all the way: every stage, notes, consent, appointment, close.
  const linked = secretsOf('L1');
  const { referralId } = await service.startTransfer(linked.request);
  await throughConsent(service, referralId, linked);
  await service.sendEvent(referralId, { type: 'packet-acknowledged', actor: PARTNER });
  await service.sendEvent(referralId, {
    type: 'appointment-scheduled',
    actor: PARTNER,
    appointmentAt: new Date(Date.now() + 8_000).toISOString(),
  });
  await until(service, referralId, (t) => t.stage === 'warm-handoff', 'warm-handoff');
  await service.sendEvent(referralId, {
    type: 'handoff-arranged',
    actor: CM,
    introductions: true,
    transportation: 'arranged',
    note: linked.handoffNote,
  });
  await until(service, referralId, (t) => t.stage === 'confirm-attendance', 'the appointment time to pass');
  await service.sendEvent(referralId, { type: 'attendance-confirmed', actor: PARTNER });
  await until(service, referralId, (t) => t.stage === 'close-episode', 'close-episode');
  await service.sendEvent(referralId, {
    type: 'episode-closed',
    actor: CM,
    dischargeSummaryCompleted: true,
    otherProvidersInformed: true,
  });
  expect((await until(service, referralId, (t) => t.stage === 'done', 'the end')).outcome).toBe('linked');

  // And one withdrawn early, with a clinical reason.
  const withdrawn = secretsOf('W1');
  const second = await service.startTransfer(withdrawn.request);
  await until(service, second.referralId, (t) => t.consentNeeded !== null, 'the provider lookup');
  await service.sendEvent(second.referralId, { type: 'withdrawn', actor: CM, reason: withdrawn.withdrawReason });
  await until(service, second.referralId, (t) => t.stage === 'done', 'the end');

  const codec = new AesGcmPayloadCodec(loadKeyRing(configWith(keyEnv)));
  const transfers: [string, string[]][] = [
    [referralId, linked.list()],
    [second.referralId, [...withdrawn.list().slice(0, 4), withdrawn.withdrawReason]],
  ];
  for (const [id, secrets] of transfers) {
    const stored = await readStored(rawClient, env.connection, workflowIdFor(id));
    expect(stored.history.events?.at(-1)?.workflowExecutionCompletedEventAttributes).toBeTruthy();
    expectNoneIn(stored.bytes, secrets);
    // Search attributes stay readable (managers filter on them) and say nothing about the member.
    const described = await rawClient.workflow.getHandle(workflowIdFor(id)).describe();
    expect(described.typedSearchAttributes.get(SA.Outcome)).toBeDefined();
    // Every payload but the search attributes' own is encrypted, under key-a.
    const encrypted = stored.payloads.filter((p) => keyIdOf(p) !== undefined);
    expect(new Set(encrypted.map(keyIdOf))).toEqual(new Set(['key-a']));
    // The same history through the codec: it is all there, so the check above is not vacuous.
    const text = await decodedText(codec, encrypted);
    for (const secret of secrets) expect(text).toContain(secret);
    // User metadata is encrypted too: the start's summary, and the current details in query results.
    const summary = stored.history.events![0]!.userMetadata?.summary;
    expect(keyIdOf(summary!)).toBe('key-a');
    expect(await decodedText(codec, [summary!])).toBe(
      JSON.stringify(`Transfer ${id}: north-county-residential → bayside-outpatient`),
    );
  }
});

test('rotation: a transfer started under key A finishes under key B, by a worker holding both', async () => {
  const s = secretsOf('R1');
  await startWorker(keys(['key-a'], 'key-a'));
  const before = serviceWith(keys(['key-a'], 'key-a'));
  const { referralId } = await before.startTransfer(s.request);
  await throughConsent(before, referralId, s);
  await stopWorkers();

  const rotated = keys(['key-a', 'key-b'], 'key-b');
  await startWorker(rotated);
  const after = serviceWith(rotated);
  await after.sendEvent(referralId, { type: 'packet-acknowledged', actor: PARTNER });
  await after.sendEvent(referralId, { type: 'withdrawn', actor: CM, reason: s.withdrawReason });
  expect((await until(after, referralId, (t) => t.stage === 'done', 'the end')).outcome).toBe('withdrawn');

  const stored = await readStored(rawClient, env.connection, workflowIdFor(referralId));
  expectNoneIn(stored.bytes, [...s.list().slice(0, 5), s.consentPurpose, s.withdrawReason]);
  const completed = stored.history.events!.at(-1)!.workflowExecutionCompletedEventAttributes!;
  expect(keyIdOf(completed.result!.payloads![0]!)).toBe('key-b');
  const byKey = new Set(stored.payloads.map(keyIdOf).filter(Boolean));
  expect(byKey).toEqual(new Set(['key-a', 'key-b']));
  // Key A is still needed for the older events: a ring with only B cannot read them.
  const onlyB = new AesGcmPayloadCodec(loadKeyRing(configWith(keys(['key-b'], 'key-b'))));
  await expect(onlyB.decode(stored.payloads.filter((p) => keyIdOf(p) === 'key-a'))).rejects.toThrow(
    /"key-a" is not in the key ring/,
  );
});

test('a missing key: the worker logs its id (nothing else), the transfer waits, and resumes once the key is back', async () => {
  const s = secretsOf('M1');
  const logLines: string[] = [];
  await startWorker(keys(['key-a', 'key-b'], 'key-b'), logLines);
  // A client already on key C, the worker not yet given it.
  const service = serviceWith(keys(['key-a', 'key-b', 'key-c'], 'key-c'));
  const { referralId, workflowId } = await service.startTransfer(s.request);

  const deadline = Date.now() + 30_000;
  while (!logLines.some((l) => l.includes('"keyId":"key-c"')) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 200));
  const line = JSON.parse(logLines.find((l) => l.includes('"keyId":"key-c"'))!);
  expect(line).toMatchObject({
    level: 50,
    keyId: 'key-c',
    msg: expect.stringMatching(/payload encryption key missing from the key ring/),
  });
  for (const secret of s.list()) expect(logLines.join('')).not.toContain(secret);

  // The server kept the failed task's reason encrypted as well, and the transfer is still open.
  const stalled = await readStored(rawClient, env.connection, workflowId);
  const failed = stalled.history.events!.find(
    (e) => e.workflowTaskFailedEventAttributes,
  )?.workflowTaskFailedEventAttributes;
  expect(failed?.failure?.message).toBe('Encoded failure');
  expect(failed?.failure?.stackTrace ?? '').toBe('');
  const reason = await decodedText(new AesGcmPayloadCodec(loadKeyRing(configWith(keys(['key-a', 'key-b'], 'key-b')))), [
    failed!.failure!.encodedAttributes!,
  ]);
  expect(JSON.parse(reason)).toMatchObject({ message: expect.stringMatching(/"key-c" is not in the key ring/) });
  expect((await rawClient.workflow.getHandle(workflowId).describe()).status.name).toBe('RUNNING');

  await stopWorkers();
  await startWorker(keys(['key-a', 'key-b', 'key-c'], 'key-c'));
  const resumed = await until(service, referralId, (t) => t.consentNeeded !== null, 'the transfer to resume', 90_000);
  expect(resumed.stage).toBe('inform-member');
  await service.sendEvent(referralId, { type: 'withdrawn', actor: CM, reason: s.withdrawReason });
  expect((await until(service, referralId, (t) => t.stage === 'done', 'the end')).outcome).toBe('withdrawn');
});

test('a memo set by a client passes through the codec too (the app sets none today; this keeps the door shut)', async () => {
  const keyEnv = keys(['key-a'], 'key-a');
  const config = configWith(keyEnv);
  const client = new Client({
    connection: env.connection,
    namespace: 'default',
    dataConverter: referralsDataConverter(loadKeyRing(config)),
  });
  const note = 'Memo: member disclosed relapse M2';
  const workflowId = 'transition-R-MEMOTEST01';
  // No worker polls this queue: only what the server stores matters here.
  const handle = await client.workflow.start('levelOfCareTransition', {
    workflowId,
    taskQueue: 'memo-test',
    args: [],
    memo: { note },
  });
  try {
    const stored = await readStored(rawClient, env.connection, workflowId);
    expectNoneIn(stored.bytes, [note]);
    expect((await handle.describe()).memo).toEqual({ note });
  } finally {
    await handle.terminate('memo test done');
  }
});
