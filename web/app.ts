/**
 * The web app: staff pages, the JSON API and partner pages over the one transfer service.
 * Cross-cutting protections live here: body size limit, security headers (helmet), rate limits
 * (@fastify/rate-limit), an error handler that shows no internals, and request logs without
 * bodies, queries or link tokens.
 */
import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { accessRoutes } from './access-routes';
import { clockPages } from './clock-pages';
import { registerAssets } from './assets';
import { apiRoutes } from './api-routes';
import { disclosureRoutes } from './disclosure-routes';
import { reportRoutes } from './report-routes';
import { dashboardRoutes } from './dashboard-routes';
import type { WebContext } from './context';
import { parseFormBody } from './form-body';
import { partnerRoutes } from './partner-routes';
import { fhirRoutes } from './fhir-routes';
import { registerSecurityHeaders } from '../infra/security-headers';
import { isCsrfRefusal, isPartnerRoute, registerCookiesAndCsrf } from './csrf';
import { html, page } from './html';
import { refusalPage } from './staff-auth';
import { signInRoutes } from './sign-in-routes';
import { OIDC_CALLBACK_PATH, oidcRoutes } from './oidc-sign-in';
import { staffPageRoutes } from './staff-page-routes';
import { webhookRoutes } from './webhook-routes';

/** A referral with a long reason and a consent fit easily; anything larger is refused (413). */
const WEB_BODY_LIMIT_BYTES = 32 * 1024;

/** Requests per client address per minute, by bucket. */
const RATE_LIMITS = { 'sign-in': 10, partner: 30, staff: 600 };
type Bucket = keyof typeof RATE_LIMITS;

/**
 * By the route the router matched, not the raw URL: `/%73ign-in` is `/sign-in` to the router, so
 * no spelling of a path leaves its bucket. Unmatched paths count as staff requests.
 */
function bucketOf(request: FastifyRequest): Bucket {
  const route = request.routeOptions.url ?? '';
  if ((route === '/sign-in' && request.method === 'POST') || route === OIDC_CALLBACK_PATH) return 'sign-in';
  return route.startsWith('/partner/') ? 'partner' : 'staff';
}

export async function buildWebApp(
  ctx: WebContext,
  options: { rateLimits?: Partial<Record<Bucket, number>> } = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    bodyLimit: WEB_BODY_LIMIT_BYTES,
    // Fastify's own request logs carry the URL (link tokens, filters): ours below log the route pattern.
    logController: new LogController({ disableRequestLogging: true }),
    // Partner link tokens are a few hundred characters.
    routerOptions: { maxParamLength: 1000 },
  });
  const limits = { ...RATE_LIMITS, ...options.rateLimits };
  await registerSecurityHeaders(app);
  await registerCookiesAndCsrf(app, ctx.keys, ctx.secureCookies);
  await registerAssets(app);
  // In memory: enough for one web process; behind several, put the limit in the proxy (docs/web.md).
  await app.register(fastifyRateLimit, {
    timeWindow: '1 minute',
    keyGenerator: (request) => `${bucketOf(request)}:${request.ip}`,
    max: (request) => limits[bucketOf(request)],
    onExceeded: (request) => request.log.warn({ bucket: bucketOf(request), ip: request.ip }, 'rate limited'),
    errorResponseBuilder: () => ({ statusCode: 429, message: 'too many requests' }),
  });

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, parseFormBody(body as string)),
  );

  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? '(none)',
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request',
    );
  });

  app.setErrorHandler((err: { statusCode?: number; code?: string; message: string }, request, reply) => {
    if (isCsrfRefusal(err)) return sendCsrfRefusal(request, reply);
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) request.log.error({ errName: (err as Error).name, code: err.code }, 'request failed');
    const message =
      status === 413
        ? 'request body too large'
        : status === 415
          ? 'unsupported content type'
          : status === 400
            ? 'malformed request body'
            : status === 429
              ? 'too many requests; try again in a minute'
              : status === 500
                ? 'internal error'
                : 'request refused';
    return reply.code(status).send({ error: message });
  });
  app.setNotFoundHandler({ preHandler: app.rateLimit() }, (_request, reply) =>
    reply.code(404).send({ error: 'not found' }),
  );

  app.get('/health', async () => ({ ok: true }));
  signInRoutes(app, ctx);
  if (ctx.oidc) oidcRoutes(app, ctx.oidc, ctx.sessions, ctx.secureCookies);
  staffPageRoutes(app, ctx);
  apiRoutes(app, ctx);
  disclosureRoutes(app, ctx);
  reportRoutes(app, ctx);
  dashboardRoutes(app, ctx);
  accessRoutes(app, ctx);
  clockPages(app, ctx);
  partnerRoutes(app, ctx);
  fhirRoutes(app, ctx);
  if (ctx.twilioWebhooks) webhookRoutes(app, ctx.twilioWebhooks);
  return app;
}

/** A form or API call without a valid CSRF token, answered in the shape its caller reads. */
function sendCsrfRefusal(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  void reply.code(403);
  if (request.url.startsWith('/api/'))
    return reply.send({ error: 'missing or invalid CSRF token: send the x-csrf-token your sign-in returned' });
  if (isPartnerRoute(request))
    return reply
      .type('text/html')
      .send(
        page(
          { title: 'This form did not come from this site' },
          html`<p>Nothing was changed. Open the link again.</p>`,
        ),
      );
  return reply
    .type('text/html')
    .send(refusalPage(403, 'The form has expired or did not come from this site; reload the page and try again.'));
}
