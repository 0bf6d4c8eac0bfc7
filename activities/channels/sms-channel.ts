/**
 * SMS through the official Twilio client, or, with no Twilio credentials, into a local folder
 * (one JSON file per message) a person can read. Twilio's error 21610 (the number replied STOP
 * to us) is final: retrying cannot succeed, so it is a non-retryable failure the caller hands on.
 */
import { ApplicationFailure } from '@temporalio/common';
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import { TWILIO_WEBHOOK_PATHS, type ChannelConfig } from '../../infra/channel-config';
import { writeFileInFolder } from '../../infra/folder-file';

interface SmsToSend {
  key: string;
  to: string;
  body: string;
}

export interface SmsChannel {
  /** Resolves with the provider's message id (Twilio's MessageSid). */
  send(sms: SmsToSend): Promise<string>;
}

export const SMS_OPTED_OUT = 'SmsOptedOut';
const TWILIO_UNSUBSCRIBED_RECIPIENT = 21610;

/** Options passed to the Twilio client: tests pass an `httpClient` pointed at a loopback server. */
export type TwilioClientOptions = NonNullable<Parameters<typeof twilio>[2]>;

/**
 * The official client with every request sent to `baseUrl` instead of *.twilio.com (the client has
 * no base-URL option; a custom httpClient is its supported way).
 */
export function rewritingHttpClient(baseUrl: string): TwilioClientOptions {
  const base = new URL(baseUrl);
  class RewritingClient extends twilio.RequestClient {
    override request<T>(o: RequestClient.RequestOptions<T>) {
      const url = new URL(o.uri);
      return super.request<T>({ ...o, uri: `${base.origin}${url.pathname}${url.search}` });
    }
  }
  return { httpClient: new RewritingClient() };
}

export function createSmsChannel(
  config: ChannelConfig,
  folder: string,
  clientOptions: TwilioClientOptions = {},
): SmsChannel {
  if (!config.TWILIO_ACCOUNT_SID) return new SmsFolder(folder);
  const options = config.TWILIO_API_BASE_URL
    ? { ...rewritingHttpClient(config.TWILIO_API_BASE_URL), ...clientOptions }
    : clientOptions;
  const client = twilio(config.TWILIO_ACCOUNT_SID, config.TWILIO_AUTH_TOKEN!, options);
  const statusCallback = `${config.PUBLIC_BASE_URL!.replace(/\/$/, '')}${TWILIO_WEBHOOK_PATHS.status}`;
  const from = config.TWILIO_FROM_NUMBER!;
  return {
    async send(sms) {
      try {
        const message = await client.messages.create({ to: sms.to, from, body: sms.body, statusCallback });
        return message.sid;
      } catch (err) {
        if ((err as { code?: number }).code === TWILIO_UNSUBSCRIBED_RECIPIENT) {
          throw ApplicationFailure.nonRetryable('the recipient has opted out of texts (Twilio 21610)', SMS_OPTED_OUT);
        }
        throw err;
      }
    },
  };
}

class SmsFolder implements SmsChannel {
  constructor(private readonly dir: string) {}
  async send(sms: SmsToSend): Promise<string> {
    const id = `local-${encodeURIComponent(sms.key)}`;
    await writeFileInFolder(
      this.dir,
      `${encodeURIComponent(sms.key)}.json`,
      JSON.stringify({ id, to: sms.to, body: sms.body }, null, 2),
    );
    return id;
  }
}
