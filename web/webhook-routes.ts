/**
 * Twilio's webhooks on the web app (client/webhooks/twilio-webhooks.ts does the work). Twilio
 * signs every request; no session or CSRF token applies. Mounted only when Twilio is configured:
 * without its auth token no request could be verified.
 */
import type { FastifyInstance } from 'fastify';
import {
  handleIncomingSms,
  handleStatusCallback,
  SMS_WEBHOOK_PATH,
  STATUS_WEBHOOK_PATH,
  type TwilioWebhookDeps,
  type WebhookRequest,
} from '../client/webhooks/twilio-webhooks';

export function webhookRoutes(app: FastifyInstance, deps: TwilioWebhookDeps): void {
  for (const [path, handle] of [
    [SMS_WEBHOOK_PATH, handleIncomingSms],
    [STATUS_WEBHOOK_PATH, handleStatusCallback],
  ] as const) {
    app.post(path, async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, string | string[]>;
      // Twilio never repeats a field; a repeated one is not Twilio's and would not verify anyway.
      if (Object.values(body).some(Array.isArray))
        return reply.code(400).type('text/plain').send('a field appears twice');
      const req: WebhookRequest = {
        params: body as Record<string, string>,
        headers: request.headers,
        pathAndQuery: request.url,
      };
      const res = await handle(req, deps);
      return reply.code(res.status).type(res.contentType).send(res.body);
    });
  }
}
