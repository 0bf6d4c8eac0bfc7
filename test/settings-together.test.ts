/**
 * Settings that only work together (SMTP login, Twilio credentials, a TLS certificate and its key):
 * half a pair is refused at start-up with an error naming what is missing, not discovered at the
 * first send. Both halves, or neither, load.
 */
import { loadChannelConfig } from '../infra/channel-config';
import { ConfigError, loadRuntimeConfig } from '../infra/config';
import { codecEnv } from './support/test-codec';

const TWILIO = {
  TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
  TWILIO_AUTH_TOKEN: 'a-token-of-16-chars',
  TWILIO_FROM_NUMBER: '+17075550100',
  PUBLIC_BASE_URL: 'https://referrals.county.example.org',
};

test.each([
  [{ SMTP_USER: 'mailer' }, /SMTP_PASSWORD: set SMTP_USER and SMTP_PASSWORD together, or none/],
  [
    { TWILIO_ACCOUNT_SID: TWILIO.TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN: TWILIO.TWILIO_AUTH_TOKEN },
    /TWILIO_FROM_NUMBER: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER together, or none/,
  ],
])('channels: half a pair is refused, naming the missing setting (%o)', (env, message) => {
  expect(() => loadChannelConfig(env)).toThrow(ConfigError);
  expect(() => loadChannelConfig(env)).toThrow(message);
});

test('channels: both halves, or none, load', () => {
  expect(loadChannelConfig({ SMTP_USER: 'mailer', SMTP_PASSWORD: 'secret' }).SMTP_USER).toBe('mailer');
  expect(loadChannelConfig(TWILIO).TWILIO_FROM_NUMBER).toBe('+17075550100');
  expect(loadChannelConfig({}).SMTP_USER).toBeUndefined();
});

test('Temporal TLS: a certificate without its key is refused, naming the key', () => {
  expect(() => loadRuntimeConfig({ ...codecEnv(), TEMPORAL_TLS_CERT_PATH: '/etc/tls/client.pem' })).toThrow(
    /TEMPORAL_TLS_KEY_PATH: set TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH together, or none/,
  );
  const both = { ...codecEnv(), TEMPORAL_TLS_CERT_PATH: '/etc/tls/c.pem', TEMPORAL_TLS_KEY_PATH: '/etc/tls/k.pem' };
  expect(loadRuntimeConfig(both).TEMPORAL_TLS_KEY_PATH).toBe('/etc/tls/k.pem');
});
