/**
 * docker-compose.yml agrees with the app (no Docker engine needed): worker settings are the ones
 * infra/config.ts reads, everything points at the Temporal service, and the search attributes the
 * admin-tools job registers are exactly the app's. Each check is also shown to fail on a broken copy.
 * Last, the jobs' own shell scripts are run: the Temporal setup against a real dev server with the
 * real CLI, the app database's against a real PostgreSQL with psql (when one is given, as in CI).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import YAML from 'yaml';
import { openAppDb } from '../infra/app-db/open-app-db';
import { SEARCH_ATTRIBUTE_FLAGS } from '../domain/search-attributes';
import { customSearchAttributes, startDevServer, waitUntilReady, placementIn } from '../scripts/dev-server';
import { OUR_SEARCH_ATTRIBUTES } from './support/local-dev-server';
import { ensureTemporalCli } from '../scripts/temporal-binaries';
import {
  COMPOSE_CHECKS,
  appDbSetupServiceName,
  environmentOf,
  interpolate,
  registeredSearchAttributes,
  temporalServiceName,
  workerServiceName,
  type ComposeFile,
} from './support/compose-checks';
import { freePorts } from './support/npm-start';
import { TEST_DATABASE_URL } from './support/app-db';

const ROOT = path.resolve(__dirname, '..');
const load = (): ComposeFile => YAML.parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8')) as ComposeFile;

describe('docker-compose.yml agrees with the app', () => {
  test.each(Object.keys(COMPOSE_CHECKS) as (keyof typeof COMPOSE_CHECKS)[])('%s', (check) => {
    expect(COMPOSE_CHECKS[check](load())).toEqual([]);
  });

  test('the worker is built from the Dockerfile, which runs worker/main.ts', () => {
    const doc = load();
    expect(workerServiceName(doc)).toBe('worker');
    const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:20-slim$/m);
    expect(dockerfile).toMatch(/^CMD \[.*"worker\/main\.ts"\]$/m);
    expect(existsSync(path.join(ROOT, 'worker', 'main.ts'))).toBe(true);
  });

  test('search attributes are registered with the same names and types as SEARCH_ATTRIBUTE_FLAGS', () => {
    expect(registeredSearchAttributes(load()).sort()).toEqual([...SEARCH_ATTRIBUTE_FLAGS].sort());
  });
});

/** Each mutation breaks the file in one way; the named check must notice. */
type Mutation = (doc: ComposeFile) => void;
const setVar =
  (service: string | null, key: string, value: string): Mutation =>
  (d) => {
    env(d, service ?? workerServiceName(d)!)[key] = value;
  };
const dropWorkerVar =
  (key: string): Mutation =>
  (d) => {
    delete workerEnv(d)[key];
  };
const editSetupScript =
  (edit: (command: string) => string): Mutation =>
  (d) => {
    const setup = d.services['temporal-setup']!;
    setup.command = [edit([setup.command ?? []].flat().join('\n'))];
  };
const addAttribute = (line: string) =>
  editSetupScript((c) => `${c}\ntemporal operator search-attribute create ${line}`);
const WORKER = null;

const MUTATIONS: [keyof typeof COMPOSE_CHECKS, string, Mutation][] = [
  ['workerEnvKeysAreRuntimeConfigKeys', 'a misspelt variable', setVar(WORKER, 'TEMPORAL_ADRESS', 'temporal:7233')],
  ['workerEnvIsValidRuntimeConfig', 'a bad log level', setVar(WORKER, 'LOG_LEVEL', 'loud')],
  ['workerReachesTemporal', 'the worker pointed at localhost', setVar(WORKER, 'TEMPORAL_ADDRESS', 'localhost:7233')],
  [
    'workerReachesTemporal',
    'the worker pointed at the database',
    setVar(WORKER, 'TEMPORAL_ADDRESS', 'postgresql:7233'),
  ],
  ['workerUsesOurTaskQueue', 'another task queue', setVar(WORKER, 'REFERRALS_TASK_QUEUE', 'referral')],
  ['uiTargetsTemporal', 'the UI pointed elsewhere', setVar('temporal-ui', 'TEMPORAL_ADDRESS', 'temporal-ui:7233')],
  ['uiTargetsTemporal', 'the UI on another port', (d) => void (d.services['temporal-ui']!.ports = ['8080:8080'])],
  [
    'versionsMatchTheCluster',
    'another server version',
    (d) => void (d.services.temporal!.image = 'temporalio/server:${TEMPORAL_VERSION:-1.31.0}'),
  ],
  [
    'dependenciesExist',
    'a dependency on a missing service',
    (d) => void (d.services.worker!.depends_on = { temporal_setup: {} }),
  ],
  [
    'searchAttributesMatchTheApp',
    'an attribute dropped',
    editSetupScript((c) => c.replace(/^.*--name Outcome.*$/m, '')),
  ],
  [
    'searchAttributesMatchTheApp',
    'an attribute with the wrong type',
    editSetupScript((c) => c.replace('--name EscalationLevel --type Int', '--name EscalationLevel --type Keyword')),
  ],
  ['searchAttributesMatchTheApp', 'an extra attribute', addAttribute('--name MemberName --type Text')],
  ['searchAttributesMatchTheApp', 'an attribute registered twice', addAttribute('--name Urgency --type Keyword')],
  ['namespacesAgree', 'the setup job on another namespace', setVar('temporal-setup', 'TEMPORAL_NAMESPACE', 'county')],
  ['workerSharesOneAppDatabase', 'the worker back on the embedded database', dropWorkerVar('APP_DATABASE_URL')],
  [
    'workerSharesOneAppDatabase',
    'the worker on a database nobody creates',
    setVar(WORKER, 'APP_DATABASE_URL', 'postgres://temporal:temporal@postgresql:5432/referral'),
  ],
  [
    'workerSharesOneAppDatabase',
    'the worker on a host that is not the database',
    setVar(WORKER, 'APP_DATABASE_URL', 'postgres://temporal:temporal@temporal:5432/referrals'),
  ],
  [
    'workerSharesOneAppDatabase',
    'the worker not waiting for the database',
    (d) => void delete (d.services.worker!.depends_on as Record<string, unknown>)['app-db-setup'],
  ],
  [
    'workerEnvKeysAreRuntimeConfigKeys',
    'a misspelt database variable',
    (d) => void (workerEnv(d).APP_DB_URL = workerEnv(d).APP_DATABASE_URL),
  ],
];

describe('each check fails on a broken copy', () => {
  test.each(MUTATIONS)('%s notices %s', (check, _what, mutate) => {
    const doc = load();
    mutate(doc);
    expect(COMPOSE_CHECKS[check](doc).length).toBeGreaterThan(0);
  });
});

function env(doc: ComposeFile, service: string): Record<string, unknown> {
  return doc.services[service]!.environment as Record<string, unknown>;
}
const workerEnv = (doc: ComposeFile) => env(doc, workerServiceName(doc)!);

describe("the setup job's script, run with the real Temporal CLI", () => {
  const run = promisify(execFile);
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'referrals-compose-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('creates a new namespace and registers exactly our attributes, and can run again', async () => {
    const doc = load();
    const setup = doc.services['temporal-setup']!;
    expect([setup.entrypoint].flat()).toEqual(['/bin/sh', '-c']);
    const script = interpolate([setup.command ?? []].flat().join('\n'));
    expect(temporalServiceName(doc)).toBe('temporal');

    // `temporal` on PATH as in the admin-tools image; a namespace the dev server does not create.
    const cli = ensureTemporalCli();
    symlinkSync(cli, path.join(dir, 'temporal'));
    const [port, uiPort] = (await freePorts(2)) as [number, number];
    const server = startDevServer({
      cliPath: cli,
      ...placementIn(dir, port, uiPort),
      searchAttributes: [],
    });
    try {
      await (await waitUntilReady({ address: server.address, namespace: 'default', exited: server.exited })).close();
      const env = {
        ...process.env,
        ...environmentOf(setup),
        TEMPORAL_ADDRESS: server.address,
        TEMPORAL_NAMESPACE: 'county-qa',
        PATH: `${dir}:${process.env.PATH}`,
      };
      for (let attempt = 1; attempt <= 2; attempt++) {
        await run('/bin/sh', ['-c', script], { env, timeout: 60_000 });
      }
      const connection = await waitUntilReady({ address: server.address, namespace: 'county-qa' });
      try {
        const registered = await customSearchAttributes(connection, 'county-qa');
        expect(registered).toEqual(OUR_SEARCH_ATTRIBUTES);
      } finally {
        await connection.close();
      }
    } finally {
      await server.stop();
    }
  });
});

// PostgreSQL: CI's (.ci/postgres.sh) or the embedded one global setup starts; psql comes with either's packages.
(TEST_DATABASE_URL ? describe : describe.skip)(
  "the app database job's script, run with the real psql against PostgreSQL",
  () => {
    const run = promisify(execFile);

    test('creates the database once, can run again, and the worker can migrate it', async () => {
      const doc = load();
      const setup = doc.services[appDbSetupServiceName(doc)!]!;
      expect([setup.entrypoint].flat()).toEqual(['/bin/sh', '-c']);
      const script = interpolate([setup.command ?? []].flat().join('\n'));
      const server = new URL(TEST_DATABASE_URL!);
      const name = `referrals_compose_${randomBytes(4).toString('hex')}`;
      const env = {
        ...process.env,
        ...environmentOf(setup),
        REFERRALS_APP_DB: name,
        PGHOST: server.hostname,
        PGPORT: server.port || '5432',
        PGUSER: decodeURIComponent(server.username),
        PGPASSWORD: decodeURIComponent(server.password),
      };
      const admin = new Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      try {
        for (let attempt = 1; attempt <= 2; attempt++) await run('/bin/sh', ['-c', script], { env, timeout: 30_000 });
        const { rows } = await admin.query('select count(*)::int as n from pg_database where datname = $1', [name]);
        expect(rows[0].n).toBe(1);
        const url = new URL(TEST_DATABASE_URL!);
        url.pathname = `/${name}`;
        const db = await openAppDb(url.toString());
        const tables = await db.introspection.getTables();
        await db.destroy();
        expect(tables.map((t) => t.name)).toContain('send_ledger');
      } finally {
        await admin.query(`drop database if exists ${name}`);
        await admin.end();
      }
    });
  },
);
