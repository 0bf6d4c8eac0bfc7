/** The AES-256-GCM payload codec and its key ring, without a server. */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { ConfigError, loadRuntimeConfig } from '../../infra/config';
import { ensureKeyFile, loadKeyRing, type KeyRing } from '../../infra/key-ring';
import {
  AesGcmPayloadCodec,
  ENCRYPTED_ENCODING,
  KEY_ID_METADATA,
  MissingCodecKeyError,
  PayloadDecryptionError,
} from '../../infra/payload-codec';
import { freshKeyEnv, testKeyRing } from '../support/test-codec';

const SECRET = { phone: '+17075550987', reason: 'Completed residential phase; step down to outpatient.' };
const plain = (): Payload => defaultPayloadConverter.toPayload(SECRET);
const text = (b: Uint8Array | null | undefined) => Buffer.from(b ?? new Uint8Array()).toString('utf8');
const ring = (ids: string[], active: string): KeyRing => testKeyRing(freshKeyEnv(ids, active));

test('encrypts: no plain text left, the key id in the metadata, a fresh IV each time; decrypts back', async () => {
  const codec = new AesGcmPayloadCodec(ring(['key-a'], 'key-a'));
  const [a, b] = await codec.encode([plain(), plain()]);
  expect(text(a!.metadata!.encoding)).toBe(ENCRYPTED_ENCODING);
  expect(text(a!.metadata![KEY_ID_METADATA])).toBe('key-a');
  expect(Object.keys(a!.metadata!).sort()).toEqual(['encoding', KEY_ID_METADATA].sort());
  expect(Buffer.from(a!.data!).includes(SECRET.phone)).toBe(false);
  expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  const [decoded] = await codec.decode([a!]);
  expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(SECRET);
});

test('rotation: a ring with a new active key still decrypts what the old key wrote, and writes under the new one', async () => {
  const env = freshKeyEnv(['key-a', 'key-b'], 'key-a');
  const before = new AesGcmPayloadCodec(testKeyRing(env));
  const after = new AesGcmPayloadCodec(testKeyRing({ ...env, REFERRALS_CODEC_ACTIVE_KEY_ID: 'key-b' }));
  const [old] = await before.encode([plain()]);
  expect(defaultPayloadConverter.fromPayload((await after.decode([old!]))[0]!)).toEqual(SECRET);
  const [fresh] = await after.encode([plain()]);
  expect(text(fresh!.metadata![KEY_ID_METADATA])).toBe('key-b');
});

test('a missing key fails with its id only, and is reported once however many payloads need it', async () => {
  const [sealed] = await new AesGcmPayloadCodec(ring(['key-a'], 'key-a')).encode([plain()]);
  const reported: string[] = [];
  const codec = new AesGcmPayloadCodec(ring(['key-b'], 'key-b'), { onMissingKey: (id) => reported.push(id) });
  const error = await codec.decode([sealed!]).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(MissingCodecKeyError);
  expect((error as Error).message).toMatch(/"key-a" is not in the key ring/);
  expect((error as Error).message).not.toContain(SECRET.phone);
  await expect(codec.decode([sealed!])).rejects.toThrow(MissingCodecKeyError);
  expect(reported).toEqual(['key-a']);
});

test('altered data or a relabelled key id fails authentication', async () => {
  const env = freshKeyEnv(['key-a', 'key-b'], 'key-a');
  const codec = new AesGcmPayloadCodec(testKeyRing(env));
  const [sealed] = await codec.encode([plain()]);
  const flipped = Buffer.from(sealed!.data!);
  flipped[20] = flipped[20]! ^ 1;
  await expect(codec.decode([{ ...sealed!, data: flipped }])).rejects.toThrow(PayloadDecryptionError);
  const relabelled = { ...sealed!, metadata: { ...sealed!.metadata, [KEY_ID_METADATA]: Buffer.from('key-b') } };
  await expect(codec.decode([relabelled])).rejects.toThrow(/failed authentication under key "key-b"/);
});

test('payloads it did not write pass through decode untouched', async () => {
  const codec = new AesGcmPayloadCodec(ring(['key-a'], 'key-a'));
  const payload = plain();
  expect(await codec.decode([payload])).toEqual([payload]);
});

describe('key configuration', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'referrals-keys-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const load = (env: Record<string, string>) => loadKeyRing(loadRuntimeConfig({ REFERRALS_DATA_DIR: dir, ...env }));

  test.each<[string, Record<string, string>, RegExp]>([
    ['an entry without a key', { REFERRALS_CODEC_KEYS: 'key-a' }, /REFERRALS_CODEC_KEYS.*id:base64/s],
    [
      'a 128-bit key',
      { REFERRALS_CODEC_KEYS: `key-a:${Buffer.alloc(16).toString('base64')}` },
      /REFERRALS_CODEC_KEYS.*32 bytes/s,
    ],
    [
      'a key id with a space',
      { REFERRALS_CODEC_KEYS: `bad id:${Buffer.alloc(32).toString('base64')}` },
      /REFERRALS_CODEC_KEYS.*key id/s,
    ],
    [
      'an active id not in the ring',
      { ...freshKeyEnv(['key-a', 'key-b']), REFERRALS_CODEC_ACTIVE_KEY_ID: 'key-c' },
      /REFERRALS_CODEC_ACTIVE_KEY_ID: "key-c" is not in REFERRALS_CODEC_KEYS/,
    ],
    [
      'two keys and no active id',
      { REFERRALS_CODEC_KEYS: freshKeyEnv(['key-a', 'key-b']).REFERRALS_CODEC_KEYS! },
      /REFERRALS_CODEC_ACTIVE_KEY_ID: required/,
    ],
  ])('refuses %s, naming the variable and never echoing a key', (_what, env, message) => {
    let error: unknown;
    try {
      load(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    for (const entry of (env.REFERRALS_CODEC_KEYS ?? '').split(',')) {
      const key = entry.split(':')[1];
      if (key) expect((error as Error).message).not.toContain(key);
    }
  });

  test('without REFERRALS_CODEC_KEYS: the key file in the data folder, created owner-only, or an error saying how to get one', () => {
    expect(() => load({})).toThrow(
      /No payload encryption keys: set REFERRALS_CODEC_KEYS .* or create .*codec-keys\.json/,
    );
    const file = path.join(dir, 'codec-keys.json');
    expect(ensureKeyFile(file)).toBe(true);
    expect(ensureKeyFile(file)).toBe(false); // never overwrites
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    const keyRing = load({});
    expect(keyRing.activeKeyId).toBe(saved.activeKeyId);
    expect(keyRing.keys.get(saved.activeKeyId)).toEqual(Buffer.from(saved.keys[saved.activeKeyId], 'base64'));

    writeFileSync(file, JSON.stringify({ activeKeyId: 'gone', keys: saved.keys }));
    expect(() => load({})).toThrow(/codec-keys\.json:\n {2}activeKeyId: names no key/);
  });
});
