/**
 * Checks that docker-compose.yml agrees with the app. Each returns the problems it finds (empty
 * when it agrees), so a test can also prove that each one fails on a broken copy of the file.
 */
import { ChannelConfig } from '../../infra/channel-config';
import { RuntimeConfig } from '../../infra/config';
import { WEB_SETTING_NAMES } from '../../infra/web-settings';
import { TASK_QUEUE } from '../../domain/ids';
import { SEARCH_ATTRIBUTE_FLAGS } from '../../domain/search-attributes';
import { TEMPORAL_SERVER, TEMPORAL_UI_SERVER } from '../../scripts/temporal-binaries';

export interface ComposeService {
  image?: string;
  build?: unknown;
  environment?: Record<string, unknown> | string[];
  depends_on?: Record<string, unknown> | string[];
  command?: string | string[];
  entrypoint?: string | string[];
  ports?: (string | number)[];
}
export interface ComposeFile {
  services: Record<string, ComposeService>;
}

/** `${NAME:-default}` and `${NAME}` as compose resolves them with nothing set; `$$` is a literal `$`. */
export function interpolate(value: string): string {
  return value
    .replace(/\$\{(\w+)(?::?-([^}]*))?\}/g, (_, _name: string, fallback?: string) => fallback ?? '')
    .replace(/\$\$/g, '$');
}

export function environmentOf(service: ComposeService | undefined): Record<string, string> {
  const env = service?.environment ?? {};
  const pairs = Array.isArray(env) ? env.map((e) => e.split(/=(.*)/s).slice(0, 2)) : Object.entries(env);
  return Object.fromEntries(pairs.map(([k, v]) => [k as string, interpolate(String(v ?? ''))]));
}

const servicesWithImage = (doc: ComposeFile, prefix: string): string[] =>
  Object.entries(doc.services)
    .filter(([, s]) => interpolate(s.image ?? '').startsWith(prefix))
    .map(([name]) => name);

/** The service running the Temporal server itself. */
export function temporalServiceName(doc: ComposeFile): string | undefined {
  return servicesWithImage(doc, 'temporalio/server:')[0] ?? servicesWithImage(doc, 'temporalio/auto-setup:')[0];
}

/** The service built from our Dockerfile. */
export function workerServiceName(doc: ComposeFile): string | undefined {
  return Object.entries(doc.services).find(([, s]) => s.build !== undefined)?.[0];
}

function pointsAtTemporal(doc: ComposeFile, address: string | undefined, who: string): string[] {
  const temporal = temporalServiceName(doc);
  if (!temporal) return ['no service runs temporalio/server'];
  if (address !== `${temporal}:7233`)
    return [`${who} TEMPORAL_ADDRESS is ${address ?? '(unset)'}, expected ${temporal}:7233`];
  return [];
}

function workerEnvKeysAreRuntimeConfigKeys(doc: ComposeFile): string[] {
  // The worker also reads the web settings (it signs the partner links in packet emails), the
  // channel settings (the app database) and Node's own NODE_OPTIONS.
  const known = new Set([
    ...Object.keys(RuntimeConfig.shape),
    ...WEB_SETTING_NAMES,
    ...Object.keys(ChannelConfig.shape),
    'NODE_OPTIONS',
  ]);
  const worker = workerServiceName(doc);
  if (!worker) return ['no service is built from the Dockerfile'];
  return Object.keys(environmentOf(doc.services[worker]))
    .filter((k) => !known.has(k))
    .map(
      (k) =>
        `worker sets ${k}, which the app's settings (infra/config.ts, infra/web-settings.ts, infra/channel-config.ts) do not read`,
    );
}

function workerEnvIsValidRuntimeConfig(doc: ComposeFile): string[] {
  const result = RuntimeConfig.safeParse(environmentOf(doc.services[workerServiceName(doc) ?? '']));
  return result.success ? [] : result.error.issues.map((i) => `worker ${i.path.join('.')}: ${i.message}`);
}

function workerReachesTemporal(doc: ComposeFile): string[] {
  return pointsAtTemporal(doc, environmentOf(doc.services[workerServiceName(doc) ?? '']).TEMPORAL_ADDRESS, 'worker');
}

function workerUsesOurTaskQueue(doc: ComposeFile): string[] {
  const queue = environmentOf(doc.services[workerServiceName(doc) ?? '']).REFERRALS_TASK_QUEUE;
  return queue === undefined || queue === TASK_QUEUE
    ? []
    : [`worker REFERRALS_TASK_QUEUE is ${queue}, expected ${TASK_QUEUE}`];
}

function uiTargetsTemporal(doc: ComposeFile): string[] {
  const ui = servicesWithImage(doc, 'temporalio/ui:')[0];
  if (!ui) return ['no service runs temporalio/ui'];
  const problems = pointsAtTemporal(doc, environmentOf(doc.services[ui]).TEMPORAL_ADDRESS, 'UI');
  const ports = (doc.services[ui]?.ports ?? []).map(String);
  if (!ports.includes('8233:8080')) problems.push(`UI ports are ${ports.join(', ') || '(none)'}, expected 8233:8080`);
  return problems;
}

/** The compose stack and `npm run cluster` run the same Temporal server and UI versions. */
function versionsMatchTheCluster(doc: ComposeFile): string[] {
  const expected: [string, string | undefined][] = [
    ['temporalio/server:', TEMPORAL_SERVER.goModule],
    ['temporalio/ui:', TEMPORAL_UI_SERVER.goModule],
  ];
  return expected.flatMap(([prefix, goModule]) => {
    const want = goModule?.split('@v')[1];
    const tags = servicesWithImage(doc, prefix).map((name) =>
      interpolate(doc.services[name]!.image!).slice(prefix.length),
    );
    return tags.length && tags.every((t) => t === want)
      ? []
      : [`${prefix} tags ${tags.join(', ') || '(none)'}, but npm run cluster runs ${want}`];
  });
}

function dependenciesExist(doc: ComposeFile): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(doc.services)) {
    const deps = service.depends_on ?? [];
    for (const dep of Array.isArray(deps) ? deps : Object.keys(deps)) {
      if (!(dep in doc.services)) problems.push(`${name} depends on ${dep}, which is not a service`);
    }
  }
  return problems;
}

/** The one-shot service that creates the app database (runs psql against the postgres service). */
export function appDbSetupServiceName(doc: ComposeFile): string | undefined {
  return Object.entries(doc.services).find(([, s]) => environmentOf(s).REFERRALS_APP_DB !== undefined)?.[0];
}

/**
 * Every worker replica uses one app database on the compose PostgreSQL, created before the worker
 * starts: a send retried on another replica must find the first attempt in the ledger, and no
 * replica runs an embedded database of its own.
 */
function workerSharesOneAppDatabase(doc: ComposeFile): string[] {
  const worker = workerServiceName(doc);
  const url = environmentOf(doc.services[worker ?? '']).APP_DATABASE_URL;
  if (!url) return ['worker has no APP_DATABASE_URL: a replica would find no app database of the stack'];
  const parsed = ChannelConfig.shape.APP_DATABASE_URL.safeParse(url);
  if (!parsed.success) return [`worker APP_DATABASE_URL: ${parsed.error.issues[0]?.message}`];
  const { hostname, pathname } = new URL(url);
  const problems: string[] = [];
  if (!interpolate(doc.services[hostname]?.image ?? '').startsWith('postgres:'))
    problems.push(`worker APP_DATABASE_URL points at ${hostname}, which is not the postgres service`);
  const setup = appDbSetupServiceName(doc);
  if (!setup) return [...problems, 'no one-shot service creates the app database (REFERRALS_APP_DB)'];
  const created = environmentOf(doc.services[setup]).REFERRALS_APP_DB;
  if (pathname !== `/${created}`)
    problems.push(`worker uses database ${pathname.slice(1)}, ${setup} creates ${created}`);
  if (environmentOf(doc.services[setup]).PGHOST !== hostname)
    problems.push(`${setup} creates it on ${environmentOf(doc.services[setup]).PGHOST}, the worker reads ${hostname}`);
  const deps = doc.services[worker!]?.depends_on ?? [];
  if (!(Array.isArray(deps) ? deps : Object.keys(deps)).includes(setup))
    problems.push(`worker does not wait for ${setup}`);
  return problems;
}

/** `Name=Type` for every `temporal operator search-attribute create` in the admin-tools services. */
export function registeredSearchAttributes(doc: ComposeFile): string[] {
  const flags: string[] = [];
  for (const name of servicesWithImage(doc, 'temporalio/admin-tools:')) {
    const command = interpolate([doc.services[name]?.command ?? []].flat().join('\n'));
    for (const [, args] of command.matchAll(/temporal operator search-attribute create\b([^\n]*)/g)) {
      const names = [...args!.matchAll(/--name[ =]"?(\w+)"?/g)].map((m) => m[1]);
      const types = [...args!.matchAll(/--type[ =]"?(\w+)"?/g)].map((m) => m[1]);
      names.forEach((n, i) => flags.push(`${n}=${types[i] ?? '(no type)'}`));
    }
  }
  return flags;
}

function searchAttributesMatchTheApp(doc: ComposeFile): string[] {
  const registered = registeredSearchAttributes(doc);
  const wanted = new Set(SEARCH_ATTRIBUTE_FLAGS);
  const problems = [
    ...registered.filter((f) => !wanted.has(f)).map((f) => `compose registers ${f}, which the app does not define`),
    ...SEARCH_ATTRIBUTE_FLAGS.filter((f) => !registered.includes(f)).map((f) => `compose does not register ${f}`),
  ];
  const repeated = registered.filter((f, i) => registered.indexOf(f) !== i);
  return [...problems, ...repeated.map((f) => `compose registers ${f} twice`)];
}

function namespacesAgree(doc: ComposeFile): string[] {
  const worker = environmentOf(doc.services[workerServiceName(doc) ?? '']).TEMPORAL_NAMESPACE ?? 'default';
  return servicesWithImage(doc, 'temporalio/admin-tools:')
    .map((name) => [name, environmentOf(doc.services[name]).TEMPORAL_NAMESPACE] as const)
    .filter(([, ns]) => ns !== undefined && ns !== worker)
    .map(([name, ns]) => `${name} sets up namespace ${ns}, the worker uses ${worker}`);
}

export const COMPOSE_CHECKS = {
  workerEnvKeysAreRuntimeConfigKeys,
  workerEnvIsValidRuntimeConfig,
  workerReachesTemporal,
  workerUsesOurTaskQueue,
  uiTargetsTemporal,
  dependenciesExist,
  versionsMatchTheCluster,
  searchAttributesMatchTheApp,
  namespacesAgree,
  workerSharesOneAppDatabase,
} satisfies Record<string, (doc: ComposeFile) => string[]>;
