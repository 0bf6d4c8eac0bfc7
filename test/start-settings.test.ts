/** `npm start`'s own settings and the dev server's command line, without starting anything. */
import { SEARCH_ATTRIBUTE_FLAGS } from '../domain/search-attributes';
import { loadRuntimeConfig } from '../infra/config';
import { devServerArgs, indexedValueType, parseSearchAttributeFlag } from '../scripts/dev-server';
import { configForEmbeddedServer, embeddedServerPlan, loadStartSettings } from '../scripts/start-settings';
import { temporal } from '@temporalio/proto';

const { IndexedValueType } = temporal.api.enums.v1;

describe('loadStartSettings', () => {
  test('defaults: embedded server on 127.0.0.1:7233, UI on 8233', () => {
    expect(loadStartSettings({})).toEqual({
      REFERRALS_EMBEDDED_SERVER: true,
      TEMPORAL_DEV_IP: '127.0.0.1',
      TEMPORAL_DEV_PORT: 7233,
      TEMPORAL_DEV_UI_PORT: 8233,
      REFERRALS_APP_DB_PORT: 8236,
    });
    expect(loadStartSettings({ REFERRALS_EMBEDDED_SERVER: 'false' }).REFERRALS_EMBEDDED_SERVER).toBe(false);
  });

  test.each([
    [{ TEMPORAL_DEV_PORT: 'seventy' }, /TEMPORAL_DEV_PORT/],
    [{ TEMPORAL_DEV_UI_PORT: '70000' }, /TEMPORAL_DEV_UI_PORT/],
    [{ TEMPORAL_DEV_IP: 'localhost:7233' }, /TEMPORAL_DEV_IP/],
    [{ REFERRALS_EMBEDDED_SERVER: 'no' }, /REFERRALS_EMBEDDED_SERVER/],
    [{ TEMPORAL_DEV_PORT: '9000', TEMPORAL_DEV_UI_PORT: '9000' }, /TEMPORAL_DEV_UI_PORT: must differ/],
  ])('%j is refused, naming the variable', (env, message) => {
    expect(() => loadStartSettings(env)).toThrow(message);
  });
});

describe('configForEmbeddedServer', () => {
  const settings = loadStartSettings({ TEMPORAL_DEV_PORT: '7400', TEMPORAL_DEV_UI_PORT: '8400' });
  const plan = (env: NodeJS.ProcessEnv) => embeddedServerPlan(loadRuntimeConfig(env), settings);

  test('points the worker and the escalation links at the embedded server', () => {
    const env = { REFERRALS_DATA_DIR: '/tmp/referrals-data' };
    const config = configForEmbeddedServer(loadRuntimeConfig(env), plan(env), env);
    expect(config.TEMPORAL_ADDRESS).toBe('127.0.0.1:7400');
    expect(config.TEMPORAL_UI_URL).toBe('http://localhost:8400');
    expect(plan(env).dbFile).toBe('/tmp/referrals-data/temporal.sqlite');
    expect(plan(env).logFile).toBe('/tmp/referrals-data/temporal-server.log');
  });

  test('keeps an explicit UI URL (e.g. behind a proxy) and an address naming the same server', () => {
    const env = { TEMPORAL_ADDRESS: 'localhost:7400', TEMPORAL_UI_URL: 'https://temporal.county.example.org' };
    const config = configForEmbeddedServer(loadRuntimeConfig(env), plan(env), env);
    expect(config.TEMPORAL_UI_URL).toBe('https://temporal.county.example.org');
    expect(config.TEMPORAL_ADDRESS).toBe('127.0.0.1:7400');
  });

  test('refuses a TEMPORAL_ADDRESS elsewhere, pointing at REFERRALS_EMBEDDED_SERVER=false', () => {
    const env = { TEMPORAL_ADDRESS: 'temporal.county.example.org:7233' };
    expect(() => configForEmbeddedServer(loadRuntimeConfig(env), plan(env), env)).toThrow(
      /REFERRALS_EMBEDDED_SERVER=false/,
    );
  });

  test('refuses TLS or an API key, which the dev server cannot speak', () => {
    const env = { TEMPORAL_API_KEY: 'k' };
    expect(() => configForEmbeddedServer(loadRuntimeConfig(env), plan(env), env)).toThrow(/TEMPORAL_API_KEY/);
  });
});

describe('the dev server command line', () => {
  test('persists to the data file and registers every search attribute', () => {
    const args = devServerArgs({
      cliPath: 'temporal',
      ip: '127.0.0.1',
      port: 7400,
      uiPort: 8400,
      namespace: 'default',
      dbFile: '/d/temporal.sqlite',
      logFile: '/d/temporal-server.log',
      searchAttributes: SEARCH_ATTRIBUTE_FLAGS,
    });
    expect(args.slice(0, 2)).toEqual(['server', 'start-dev']);
    expect(args.join(' ')).toContain('--port 7400 --ui-port 8400 --db-filename /d/temporal.sqlite --namespace default');
    const registered = args.flatMap((a, i) => (args[i - 1] === '--search-attribute' ? [a] : []));
    expect(registered).toEqual(SEARCH_ATTRIBUTE_FLAGS);
  });

  test('search attribute types as the CLI spells them', () => {
    expect(parseSearchAttributeFlag('StageDeadline=Datetime')).toEqual({
      name: 'StageDeadline',
      type: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
    });
    expect(indexedValueType('KeywordList')).toBe(IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST);
    expect(() => indexedValueType('Varchar')).toThrow(/Varchar/);
    expect(() => parseSearchAttributeFlag('Outcome')).toThrow(/Name=Type/);
  });
});
