/**
 * `npm start` against the real dev server: it comes up on the ports it is given, the UI answers,
 * our search attributes exist, a worker polls `referrals`, Ctrl-C stops the worker and then the
 * server, a second start on the same data file finds the attributes and the open transfer again,
 * and a dying server, an external cluster and a taken port each behave as docs/running.md says.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { workflowIdFor } from '../domain/ids';
import { SA } from '../domain/search-attributes';
import { loadRuntimeConfig } from '../infra/config';
import { loadDirectory } from '../infra/config-files';
import { referralsDataConverter } from '../infra/data-converter';
import { loadKeyRing } from '../infra/key-ring';
import { TransferService } from '../client/transfer-service';
import { customSearchAttributes, startDevServer, waitUntilReady, placementIn } from '../scripts/dev-server';
import { OUR_SEARCH_ATTRIBUTES } from './support/local-dev-server';
import { ensureTemporalCli } from '../scripts/temporal-binaries';
import { stopLeftoverAppDb } from '../infra/app-db/embedded-server';
import { freePorts, isAlive, NpmStart, sleep, stackEnv } from './support/npm-start';

const READY = /^Ready\./m;
const START_MS = 90_000;
jest.setTimeout(START_MS + 90_000);
const STOP_MS = 30_000;
const { TaskQueueKind, TaskQueueType } = temporal.api.enums.v1;

let dataDir: string;
let port: number;
let uiPort: number;
let codecPort: number;
let webPort: number;
let appDbPort: number;
let current: NpmStart | undefined;
let referralId: string;

function npmStart(extra: Record<string, string> = {}): NpmStart {
  current = new NpmStart({
    ...stackEnv({ port, uiPort, codecPort, webPort, appDbPort, dataDir }),
    LOG_LEVEL: 'info',
    ...extra,
  });
  return current;
}

async function withConnection<T>(fn: (c: Connection) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address: `127.0.0.1:${port}` });
  try {
    return await fn(connection);
  } finally {
    await connection.close();
  }
}

async function expectOurSearchAttributes(): Promise<void> {
  const registered = await withConnection((c) => customSearchAttributes(c, 'default'));
  expect(registered).toMatchObject(OUR_SEARCH_ATTRIBUTES);
}

async function workflowPollers(): Promise<number> {
  const response = await withConnection((c) =>
    c.workflowService.describeTaskQueue({
      namespace: 'default',
      taskQueue: { name: 'referrals', kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      taskQueueType: TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    }),
  );
  return response.pollers?.length ?? 0;
}

async function eventually(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

function transferService(client: Client): TransferService {
  const config = loadRuntimeConfig({ TEMPORAL_ADDRESS: `127.0.0.1:${port}`, REFERRALS_DATA_DIR: dataDir });
  return new TransferService({
    config,
    directory: loadDirectory(config.REFERRALS_DIRECTORY_FILE),
    temporal: async () => client,
  });
}

async function withClient<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  // npm start created the key file in the data folder; a client without it could not read the transfers.
  const dataConverter = referralsDataConverter(loadKeyRing(loadRuntimeConfig({ REFERRALS_DATA_DIR: dataDir })));
  return withConnection((connection) => fn(new Client({ connection, namespace: 'default', dataConverter })));
}

function canConnect(p: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(p, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/** The dev server's pid, which start.ts records next to the data file while the server runs. */
function serverPid(): number {
  return Number(readFileSync(path.join(dataDir, 'temporal-server.pid'), 'utf8').trim());
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'referrals-start-'));
  [port, uiPort, codecPort, webPort, appDbPort] = (await freePorts(5)) as [number, number, number, number, number];
});

afterEach(async () => {
  // A failed test must not leave servers behind on a two-core machine.
  if (current?.running) {
    current.kill();
    await current.exited;
  }
  const pidFile = path.join(dataDir, 'temporal-server.pid');
  if (existsSync(pidFile) && isAlive(serverPid())) process.kill(serverPid(), 'SIGKILL');
  // The app database runs in a session of its own (pg_ctl), so the kill above does not reach it.
  await stopLeftoverAppDb(dataDir);
});

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('npm start', () => {
  test('first start: UI, search attributes, a worker on `referrals`, a transfer; Ctrl-C stops worker then server', async () => {
    const run = npmStart();
    await run.waitFor(READY, START_MS);
    expect(run.output).toMatch(new RegExp(`Temporal gRPC\\s+127\\.0\\.0\\.1:${port}`));
    expect(run.output).toContain(`http://localhost:${uiPort}`);
    expect(run.output).toContain(path.join(dataDir, 'temporal.sqlite'));

    const ui = await fetch(`http://127.0.0.1:${uiPort}/`, { headers: { connection: 'close' } });
    expect(ui.status).toBe(200);
    expect(await ui.text()).toMatch(/<html/i);

    // Encryption: a key file and a codec server token made on first start, the UI pointed at the codec server.
    expect(run.output).toMatch(/created a payload encryption key file/);
    expect(statSync(path.join(dataDir, 'codec-keys.json')).mode & 0o777).toBe(0o600);
    expect(run.output).toMatch(new RegExp(`Codec server\\s+http://localhost:${codecPort}`));
    const settings = (await (
      await fetch(`http://127.0.0.1:${uiPort}/api/v1/settings`, { headers: { connection: 'close' } })
    ).json()) as { Codec?: { Endpoint?: string; IncludeCredentials?: boolean } };
    expect(settings.Codec?.Endpoint).toBe(`http://localhost:${codecPort}`);
    // The UI server, not the dev server's UI: it sends the web app's session cookie to the codec server.
    expect(settings.Codec?.IncludeCredentials).toBe(true);
    const anonymous = await fetch(`http://127.0.0.1:${codecPort}/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"payloads":[]}',
    });
    expect(anonymous.status).toBe(401);
    const token = readFileSync(path.join(dataDir, 'codec-server-token'), 'utf8').trim();
    const signedIn = await fetch(`http://127.0.0.1:${codecPort}/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: '{"payloads":[]}',
    });
    expect(signedIn.status).toBe(200);

    // The web app runs beside the worker, with staff accounts made on first start.
    expect(run.output).toMatch(new RegExp(`Web app\\s+http://localhost:${webPort}`));
    expect((await fetch(`http://127.0.0.1:${webPort}/health`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${webPort}/api/transfers`)).status).toBe(401);
    const passwords = readFileSync(path.join(dataDir, 'web-accounts.json.passwords'), 'utf8');
    expect(passwords).toMatch(/^intake \(intake\): \S+$/m);
    // Beside the passwords, a CLI token for the intake account, as the README's walk-through reads it.
    const apiToken = /^intake API token.*: (rft_\S+)$/m.exec(passwords)?.[1];
    const listed = await fetch(`http://127.0.0.1:${webPort}/api/transfers`, {
      headers: { authorization: `Bearer ${apiToken}` },
    });
    expect(listed.status).toBe(200);
    // One app database for the web app, the worker and the CLI: PostgreSQL, found through the data folder.
    expect(run.output).toMatch(new RegExp(`App database\\s+embedded PostgreSQL on 127\\.0\\.0\\.1:${appDbPort}`));
    expect(readFileSync(path.join(dataDir, 'app-db.url'), 'utf8')).toContain(`@127.0.0.1:${appDbPort}/referrals`);
    await expectOurSearchAttributes();
    await eventually(async () => (await workflowPollers()) > 0, 20_000, 'a poller on task queue referrals');

    const sample = JSON.parse(readFileSync(path.resolve(__dirname, '../fixtures/sample-transfer.json'), 'utf8'));
    await withClient(async (client) => {
      const service = transferService(client);
      ({ referralId } = await service.startTransfer(sample));
      // The worker has run the first workflow task once the query answers.
      await eventually(
        async () => Boolean(await service.getTransfer(referralId)),
        30_000,
        'the transfer to answer queries',
      );
    });

    const pid = serverPid();
    run.interrupt();
    const exit = await run.exitWithin(STOP_MS);
    expect(run.reportedExitCode).toBe(0);
    // npm runs scripts through `sh -c`; where sh is dash it re-raises the terminal's SIGINT after
    // start.ts has exited 0, so npx reports that signal. Anything else is a failure.
    expect([
      { code: 0, signal: null },
      { code: null, signal: 'SIGINT' },
    ]).toContainEqual(exit);
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(path.join(dataDir, 'app-db.url'))).toBe(false); // the app database stopped too
    expect(await canConnect(appDbPort)).toBe(false);
    const workerStopped = run.output.search(/state: 'STOPPED'/);
    const serverStopped = run.output.search(/"code":0,"signal":null,"msg":"Temporal dev server stopped"/);
    expect(workerStopped).toBeGreaterThan(-1);
    expect(serverStopped).toBeGreaterThan(workerStopped);
    expect(run.output).not.toMatch(/exited unexpectedly/);
  });

  test('second start on the same data file: attributes and the open transfer survive; SIGTERM exits 0', async () => {
    expect(referralId).toBeDefined();
    const run = npmStart();
    await run.waitFor(READY, START_MS);
    await expectOurSearchAttributes();

    await withClient(async (client) => {
      const description = await client.workflow.getHandle(workflowIdFor(referralId)).describe();
      expect(description.status.name).toBe('RUNNING');
      expect(description.typedSearchAttributes.get(SA.ReceivingProvider)).toBe('bayside-outpatient');
      // A query needs a worker to replay the transfer: the restarted worker has picked it up.
      expect(await transferService(client).getTransfer(referralId)).toBeTruthy();
    });

    const pid = serverPid();
    process.kill(run.appPid, 'SIGTERM'); // what a process manager sends
    expect(await run.exitWithin(STOP_MS)).toEqual({ code: 0, signal: null });
    expect(isAlive(pid)).toBe(false);
  });

  test('a dev server that dies stops the worker and fails npm start', async () => {
    const run = npmStart();
    await run.waitFor(READY, START_MS);
    process.kill(serverPid(), 'SIGKILL');
    expect(await run.exitWithin(STOP_MS + 15_000)).toEqual({ code: 1, signal: null });
    expect(run.output).toMatch(/exited unexpectedly/);
    expect(run.output).toMatch(/state: 'STOPPED'/);
  });

  test('REFERRALS_EMBEDDED_SERVER=false: only a worker, against TEMPORAL_ADDRESS, warning about missing attributes', async () => {
    const externalDir = mkdtempSync(path.join(os.tmpdir(), 'referrals-external-'));
    const [externalPort, externalUiPort] = (await freePorts(2)) as [number, number];
    const external = startDevServer({
      cliPath: ensureTemporalCli(),
      ...placementIn(externalDir, externalPort, externalUiPort),
      searchAttributes: ['ReferralStage=Keyword'],
    });
    try {
      await (
        await waitUntilReady({ address: external.address, namespace: 'default', exited: external.exited })
      ).close();
      const run = npmStart({ REFERRALS_EMBEDDED_SERVER: 'false', TEMPORAL_ADDRESS: external.address });
      await run.waitFor(READY, START_MS);
      expect(run.output).toMatch(/"missing":\["WaitingOn",.*"Outcome"\].*search attributes missing/);
      expect(run.output).toMatch(new RegExp(`Temporal gRPC\\s+${external.address}`));
      expect(run.output).not.toContain('Data file');
      expect(run.output).toContain('Ready. Ctrl-C stops the worker.');
      process.kill(run.appPid, 'SIGTERM');
      expect(await run.exitWithin(STOP_MS)).toEqual({ code: 0, signal: null });
      expect(isAlive(external.pid)).toBe(true); // not ours to stop
    } finally {
      await external.stop();
      rmSync(externalDir, { recursive: true, force: true });
    }
  });

  test('refuses to start, naming the variable, when the gRPC port is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const run = npmStart();
      expect(await run.exitWithin(STOP_MS)).toEqual({ code: 1, signal: null });
      expect(run.output).toMatch(new RegExp(`Port ${port} .*already in use.*TEMPORAL_DEV_PORT`));
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
