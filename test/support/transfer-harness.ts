/**
 * A real time-skipping Temporal server, a real worker with the real activities writing to a
 * temporary data folder, and helpers to start transfers and send events as people would.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { Client, WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Runtime, DefaultLogger, Worker } from '@temporalio/worker';
import pino from 'pino';
import { createActivities } from '../../activities';
import { FileDisclosureLog, type DisclosureRecord } from '../../activities/disclosure-log';
import { consentFor } from './consents';
export { consentFor };
import { FixtureEhr } from '../../activities/ehr-adapter';
import { LocalOutbox, readAll, type OutboundMessage } from '../../activities/outbox';
import type { Actor, TransitionEvent } from '../../domain/events';
import { TASK_QUEUE, workflowIdFor } from '../../domain/ids';
import { Policy, type PolicyInput } from '../../domain/policy';
import { SA } from '../../domain/search-attributes';
import type { TransferState } from '../../domain/state';
import { TransferRequest, transitionInput, type TransferRequestInput } from '../../domain/transfer';
import { loadDirectory } from '../../infra/config-files';
import sampleTransfer from '../../fixtures/sample-transfer.json';
import { referralsDataConverter } from '../../infra/data-converter';
import { transferMessages } from '../../workflows/messages';
import type { EventMessages } from '../../workflows/event-messages';
import { sendEvent } from '../../client/workflow-calls';
import { clockInput, ClockRequest, type ClockRequestInput } from '../../domain/clocks/requests';
import { CLOCK_WORKFLOW_TYPES, clockWorkflowIdFor, residentialNoticeClockId } from '../../domain/clocks/kinds';
import type { ClockEvent } from '../../domain/clocks/events';
import type { ClockState } from '../../domain/clocks/state';
import type { ProgressNoteDraft } from '../../domain/progress-note';
import { clockMessages } from '../../workflows/clocks/messages';
import { testKeyRing } from './test-codec';
import { CalendarSettings } from '../../domain/policy';
import { testPartnerLinks } from './channel-activities';
import { temporalUiLinksSentOutside } from './internal-links';

const ROOT = path.resolve(__dirname, '../..');

/** A workflow refused an event the test sent; the message is the workflow's reason. */
export class EventRefused extends Error {}
const DIRECTORY = loadDirectory(path.join(ROOT, 'config', 'directory.json'));
const TEMPORAL_UI_URL = 'http://localhost:8233';
/** Every log line the activities wrote, to check no member information reaches the logs. */
export const logLines: string[] = [];
let runtimeInstalled = false;

export const CASE_MANAGER: Actor = { role: 'case-manager', id: 'cm-alvarez' };
export const MEMBER: Actor = { role: 'member', id: 'M-100234' };
export const partner = (id: string): Actor => ({ role: 'partner', id });

/** The sample referral of fixtures/sample-transfer.json (also the README's and the bench's), with overrides. */
export function sampleRequest(overrides: Partial<TransferRequestInput> = {}): TransferRequestInput {
  return { ...TransferRequest.parse(sampleTransfer), ...overrides };
}

export class TransferHarness {
  private counter = 0;
  private readonly started: WorkflowHandle[] = [];
  /**
   * A plain client: the testing environment's own client lets the server skip time whenever a
   * test awaits a result, which would move every open transfer's clock. Here time moves only
   * when a test calls `advance`.
   */
  readonly client: Client;

  private constructor(
    readonly env: TestWorkflowEnvironment,
    readonly worker: Worker,
    private readonly running: Promise<void>,
    readonly dataDir: string,
    readonly ehrDir: string,
  ) {
    // The environment's own client: awaiting a workflow's result through it lets the test server skip time.
    this.client = env.client;
  }

  /** `encrypt: false` only for histories stored in the repo (test/histories), which a fresh test key could not read later. */
  static async start(options: { encrypt?: boolean } = {}): Promise<TransferHarness> {
    const dataConverter = options.encrypt === false ? undefined : referralsDataConverter(testKeyRing());
    if (!runtimeInstalled) {
      Runtime.install({ logger: new DefaultLogger('WARN') });
      runtimeInstalled = true;
    }
    const env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: process.env.TEMPORAL_TEST_SERVER_PATH! } },
      client: { dataConverter },
    });
    await registerSearchAttributes(env);
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'referrals-test-'));
    const ehrDir = path.join(dataDir, 'ehr-fixtures');
    cpSync(path.join(ROOT, 'fixtures', 'ehr'), ehrDir, { recursive: true });
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: TASK_QUEUE,
      workflowBundle: { codePath: process.env.REFERRALS_WORKFLOW_BUNDLE! },
      // Encrypted as in production, so every workflow test also runs through the codec.
      dataConverter,
      activities: createActivities({
        directory: DIRECTORY,
        ehr: new FixtureEhr(ehrDir, dataDir),
        outbox: new LocalOutbox(path.join(dataDir, 'outbox')),
        disclosures: new FileDisclosureLog(path.join(dataDir, 'disclosures')),
        temporalUiUrl: TEMPORAL_UI_URL,
        namespace: 'default',
        webUrl: 'http://web.test',
        partnerLinks: testPartnerLinks,
        calendar: CalendarSettings.parse({ timeZone: 'America/Los_Angeles' }),
        logger: pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) }),
      }),
    });
    const running = worker.run();
    return new TransferHarness(env, worker, running, dataDir, ehrDir);
  }

  async stop(): Promise<void> {
    this.worker.shutdown();
    await this.running;
    await this.env.teardown();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** The server's (skipped) time: the workflows' clock. */
  async now(): Promise<Date> {
    return new Date(await this.env.currentTimeMs());
  }

  /** Moves the server's clock to the next Monday-to-Friday 09:00 in Los Angeles. */
  async toNextWeekdayMorning(): Promise<void> {
    const now = DateTime.fromJSDate(await this.now(), { zone: 'America/Los_Angeles' });
    let morning = now.set({ hour: 9, minute: 0, second: 0, millisecond: 0 });
    while (morning <= now || morning.weekday > 5) morning = morning.plus({ days: 1 });
    await this.advance(morning.toMillis() - now.toMillis());
  }

  async start(request: TransferRequestInput = sampleRequest(), policy: PolicyInput = {}): Promise<WorkflowHandle> {
    const referralId = `R-TEST${String(++this.counter).padStart(6, '0')}`;
    const input = transitionInput(TransferRequest.parse(request), referralId, Policy.parse(policy), DIRECTORY);
    const handle = await this.client.workflow.start('levelOfCareTransition', {
      args: [input],
      taskQueue: TASK_QUEUE,
      workflowId: workflowIdFor(referralId),
      typedSearchAttributes: [{ key: SA.SendingProgram, value: input.sendingProgramId }],
    });
    this.started.push(handle);
    return handle;
  }

  /** Starts a coordination clock (ids C-TEST000001, …) with the given request and policy. */
  async startClock(request: ClockRequestInput, policy: PolicyInput = {}): Promise<WorkflowHandle> {
    const clockId = `C-TEST${String(++this.counter).padStart(6, '0')}`;
    const parsed = ClockRequest.parse(request);
    const input = clockInput(parsed, clockId, Policy.parse(policy), DIRECTORY);
    const handle = await this.client.workflow.start(CLOCK_WORKFLOW_TYPES[input.kind], {
      args: [input],
      taskQueue: TASK_QUEUE,
      workflowId: clockWorkflowIdFor(clockId),
    });
    this.started.push(handle);
    return handle;
  }

  /** A clock started by a workflow (a transfer's residential notice); terminated with the rest. */
  clockHandle(clockId: string): WorkflowHandle {
    const handle = this.client.workflow.getHandle(clockWorkflowIdFor(clockId));
    this.started.push(handle);
    return handle;
  }

  async sendClock(handle: WorkflowHandle, event: DistributiveOmit<ClockEvent, 'sentAt'>): Promise<ClockState> {
    return this.sendAndRead(handle, clockMessages, { ...event, sentAt: await this.sentAt() } as ClockEvent);
  }

  async signalClock(handle: WorkflowHandle, event: DistributiveOmit<ClockEvent, 'sentAt'>): Promise<void> {
    await handle.signal(clockMessages.event, { ...event, sentAt: new Date().toISOString() } as ClockEvent);
  }

  clockState(handle: WorkflowHandle): Promise<ClockState> {
    return this.read(handle, () => handle.query(clockMessages.state));
  }

  /**
   * A query once no workflow task is in flight, with a deadline: the time-skipping server can
   * leave unanswered a query that reaches a run just continued as new; the polling helpers then
   * ask again.
   */
  private async read<T>(handle: WorkflowHandle, query: () => Promise<T>): Promise<T> {
    for (let waited = 0; waited < 2_000; waited += 20) {
      const described = await handle.describe().catch(() => null);
      if (!described?.raw.pendingWorkflowTask) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.client.withDeadline(Date.now() + 5_000, query);
  }

  /**
   * Waits, by describe alone, until the workflow has continued as new past `runId`. A query that
   * reaches a run in the task that continues it as new is never answered by the time-skipping
   * server, and leaves its time lock held, so later skips would pass in real time.
   */
  async waitForRunAfter(handle: WorkflowHandle, runId: string): Promise<void> {
    for (const until = Date.now() + 15_000; Date.now() < until;) {
      if ((await handle.describe()).runId !== runId) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`${handle.workflowId} did not continue as new past run ${runId}`);
  }

  /** Polls a clock's state (real time, up to 15 s) until `ready` holds. */
  async waitForClock(
    handle: WorkflowHandle,
    ready: (s: ClockState) => boolean,
    what = 'the expected clock state',
  ): Promise<ClockState> {
    const until = Date.now() + 15_000;
    let last: ClockState | undefined;
    while (Date.now() < until) {
      last = await this.clockState(handle).catch(() => undefined);
      if (last && ready(last)) return last;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${what}; stage=${last?.stage} waitingOn=${last?.waitingOn}`);
  }

  /** Progress note drafts the (fixture) EHR received, oldest first. */
  notes(): Promise<ProgressNoteDraft[]> {
    return readAll<ProgressNoteDraft>(path.join(this.dataDir, 'ehr-notes'), (n) => `${n.documentationEnd}${n.key}`);
  }

  /**
   * Terminates transfers a test left open. Waiting on a result lets the server skip time to the
   * next timer of any open workflow, so leftovers would make later tests' clocks jump.
   */
  async terminateOpenTransfers(): Promise<void> {
    // A transfer's residential plan notices are child clocks that outlive it: end those too.
    const children = this.started
      .filter((h) => h.workflowId.startsWith('transition-'))
      .flatMap((h) =>
        (['discharge', 'admission'] as const).map((event) =>
          this.client.workflow.getHandle(
            clockWorkflowIdFor(residentialNoticeClockId(h.workflowId.replace(/^transition-/, ''), event)),
          ),
        ),
      );
    for (const handle of [...this.started.splice(0), ...children]) {
      // A child a test expected may never have started: nothing to terminate then.
      const status = await handle.describe().then(
        (d) => d.status,
        () => null,
      );
      if (status?.name !== 'RUNNING') continue;
      // Terminating mid-activity leaves the time-skipping server's time lock held (sdk-java #1138),
      // and later tests' time would then pass in real time: let activities finish first.
      await this.settle(handle);
      // It may have completed while settling (a withdrawal's last steps): nothing left to end.
      await handle.terminate('test finished').catch((err: unknown) => {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      });
    }
  }

  /** Sends an event as the services do: resolves with the new state, rejects with an EventRefused holding the workflow's reason. */
  async send(handle: WorkflowHandle, event: DistributiveOmit<TransitionEvent, 'sentAt'>): Promise<TransferState> {
    return this.sendAndRead(handle, transferMessages, {
      ...event,
      sentAt: await this.sentAt(),
    } as TransitionEvent);
  }

  /** When an answered event is sent: the test server's time, which runs ahead of the wall clock once a test skips time. */
  private async sentAt(): Promise<string> {
    return (await this.now()).toISOString();
  }

  private async sendAndRead<E, S>(handle: WorkflowHandle, messages: EventMessages<E, S>, event: E): Promise<S> {
    const result = await sendEvent(this.client, handle.workflowId, messages, event);
    if (result === 'not-found') throw new Error(`${handle.workflowId} not found`);
    if ('state' in result) return result.state;
    throw new EventRefused('refused' in result ? result.refused : `ended (${result.ended})`);
  }

  async signal(handle: WorkflowHandle, event: DistributiveOmit<TransitionEvent, 'sentAt'>): Promise<void> {
    await handle.signal(transferMessages.event, { ...event, sentAt: new Date().toISOString() } as TransitionEvent);
  }

  state(handle: WorkflowHandle): Promise<TransferState> {
    return this.read(handle, () => handle.query(transferMessages.state));
  }

  /** Staff add documents to the (fixture) EHR chart. */
  async addEhrDocuments(memberId: string, categories: string[]): Promise<void> {
    const file = path.join(this.ehrDir, `${memberId}.json`);
    const chart = JSON.parse(readFileSync(file, 'utf8'));
    for (const c of categories)
      chart.documents[c] = { title: `${c} (added)`, updated: (await this.now()).toISOString().slice(0, 10) };
    writeFileSync(file, JSON.stringify(chart));
  }

  /** Polls the workflow's state (real time, up to 15 s) until `ready` holds; returns that state. */
  async waitFor(
    handle: WorkflowHandle,
    ready: (s: TransferState) => boolean,
    what = 'the expected state',
  ): Promise<TransferState> {
    const until = Date.now() + 15_000;
    let last: TransferState | undefined;
    while (Date.now() < until) {
      last = await this.state(handle);
      if (ready(last)) return last;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${what}; stage=${last?.stage} waitingOn=${last?.waitingOn}`);
  }

  /** Waits (real time) until the workflow has no activity in flight and its state stops changing. */
  async settle(handle: WorkflowHandle): Promise<void> {
    let last = '';
    let stableFor = 0;
    for (let i = 0; i < 300 && stableFor < 3; i++) {
      const read = handle.workflowId.startsWith('clock-') ? this.clockState(handle) : this.state(handle);
      const [described, state] = await Promise.all([handle.describe(), read.catch(() => null)]);
      const snapshot = JSON.stringify([
        described.status.name,
        described.raw.pendingActivities?.length ?? 0,
        state?.timeline.length,
        state?.stage,
      ]);
      const idle = (described.raw.pendingActivities?.length ?? 0) === 0;
      stableFor = idle && snapshot === last ? stableFor + 1 : 0;
      last = snapshot;
      if (described.status.name !== 'RUNNING') return;
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Lets workflow time pass (timers fire) and waits until the worker has caught up. */
  async advance(ms: number): Promise<void> {
    if (ms > 0) await this.env.sleep(ms);
  }

  outbox(): Promise<OutboundMessage[]> {
    return readAll<OutboundMessage>(path.join(this.dataDir, 'outbox'), (m) => `${m.dueAt}${m.key}`);
  }

  disclosures(): Promise<DisclosureRecord[]> {
    return readAll<DisclosureRecord>(path.join(this.dataDir, 'disclosures'), (d) => d.disclosedAt);
  }
}

async function registerSearchAttributes(env: TestWorkflowEnvironment): Promise<void> {
  const types: Record<string, number> = { KEYWORD: 2, INT: 3, DATETIME: 6 }; // temporal.api.enums.v1.IndexedValueType
  const searchAttributes = Object.fromEntries(Object.values(SA).map((k) => [k.name, types[k.type]!]));
  try {
    await env.connection.operatorService.addSearchAttributes({ namespace: 'default', searchAttributes });
  } catch (err) {
    if (!/already exists/i.test((err as Error).message)) throw err;
  }
}

/**
 * Registers the lifecycle hooks of a test file (start the harness, terminate leftovers after each
 * test, stop at the end) and returns the harness, usable inside tests.
 */
export function useTransferHarness(): TransferHarness {
  let started: TransferHarness | undefined;
  beforeAll(async () => {
    started = await TransferHarness.start();
  });
  // Each test begins on a weekday morning in the county's zone, not at whatever hour CI runs:
  // partner messages wait for business hours, so a Sunday start would hold the packet till Monday.
  beforeEach(async () => {
    await started?.toNextWeekdayMorning();
  });
  afterEach(async () => {
    await started?.terminateOpenTransfers();
  });
  afterAll(async () => {
    const sent = (await started?.outbox()) ?? [];
    await started?.stop();
    expect(temporalUiLinksSentOutside(sent, TEMPORAL_UI_URL, DIRECTORY)).toEqual([]);
  });
  return new Proxy({} as TransferHarness, {
    get(_target, prop) {
      if (!started) throw new Error('the transfer harness is used before beforeAll ran');
      const value = Reflect.get(started, prop, started) as unknown;
      return typeof value === 'function' ? value.bind(started) : value;
    },
  });
}

export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
