/**
 * Headers on every response of the web app and the codec server, set by helmet: no scripts, no
 * framing, no referrer to other sites, and nothing cached (pages name members).
 */
import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * `referrer`: the web app sends none (partner links carry their token in the path). The codec
 * server checks the Origin of its sign-in form, which browsers send as `null` under no-referrer,
 * so it sends the referrer to its own origin only.
 */
export async function registerSecurityHeaders(
  app: FastifyInstance,
  referrer: 'no-referrer' | 'same-origin' = 'no-referrer',
): Promise<void> {
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        // The USWDS stylesheet and fonts are served by the app itself (web/assets.ts).
        styleSrc: ["'self'", "'unsafe-inline'"],
        fontSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: referrer },
  });
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });
}
