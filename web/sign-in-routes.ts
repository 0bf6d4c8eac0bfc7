/**
 * Staff sign-in with a local account. The form and the JSON API share the route: a JSON caller
 * gets the CSRF token it must send as `x-csrf-token`. Failures say only "not valid".
 */
import type { FastifyInstance } from 'fastify';
import type { WebContext } from './context';
import { csrfPassed } from './csrf';
import { field } from './form-body';
import { alert, html, page } from './html';
import { FailureLock } from '../infra/failure-lock';
import { safeNext } from './next-page';
import { OIDC_START_PATH, type OidcSettings } from './oidc-sign-in';

/** With an identity provider configured, its button comes first; local accounts stay below it. */
const providerButton = (oidc: OidcSettings | undefined, next: string) =>
  oidc
    ? html`<p>
          <a class="usa-button" href="${OIDC_START_PATH}?next=${encodeURIComponent(next)}">Sign in with ${oidc.name}</a>
        </p>
        <p>Or with a local account:</p>`
    : '';

const signInForm = (oidc: OidcSettings | undefined, message?: string, next = '/transfers') =>
  page(
    { title: 'Sign in' },
    html`${message ? alert('error', message) : ''} ${providerButton(oidc, next)}
      <form method="post" action="/sign-in">
        <input type="hidden" name="next" value="${next}" />
        <label class="usa-label" for="username">User name</label
        ><input class="usa-input" id="username" name="username" autocomplete="username" />
        <label class="usa-label" for="password">Password</label
        ><input class="usa-input" id="password" name="password" type="password" autocomplete="current-password" />
        <p><button class="usa-button" type="submit">Sign in</button></p>
      </form>`,
  );

export function signInRoutes(app: FastifyInstance, ctx: WebContext, failures = new FailureLock()): void {
  app.get('/sign-in', async (request, reply) =>
    reply.type('text/html').send(signInForm(ctx.oidc, undefined, safeNext(field(request.query, 'next')))),
  );

  app.post('/sign-in', async (request, reply) => {
    const json = request.headers['content-type']?.startsWith('application/json') ?? false;
    const username = field(request.body, 'username') ?? '';
    if (failures.locked(username)) {
      request.log.warn({ ip: request.ip }, 'staff sign-in refused: too many failures for the user name');
      const message = failures.message;
      void reply.code(429).header('retry-after', String(failures.windowMs / 1000));
      return json ? reply.send({ error: message }) : reply.type('text/html').send(signInForm(ctx.oidc, message));
    }
    const user = await ctx.accounts.signIn(username, field(request.body, 'password') ?? '');
    if (!user) {
      failures.failed(username);
      request.log.warn({ ip: request.ip }, 'staff sign-in refused');
      return json
        ? reply.code(401).send({ error: 'user name or password not valid' })
        : reply.code(401).type('text/html').send(signInForm(ctx.oidc, 'That user name and password are not valid.'));
    }
    failures.succeeded(username);
    const csrfToken = await ctx.sessions.start(reply, user);
    request.log.info({ user: user.id, role: user.role }, 'staff sign-in');
    return json ? reply.send({ user, csrfToken }) : reply.redirect(safeNext(field(request.body, 'next')), 303);
  });

  app.post('/sign-out', async (request, reply) => {
    // Signing out needs the CSRF token too, so another site cannot sign staff out.
    if (!csrfPassed(request, reply)) return reply;
    await ctx.sessions.end(request, reply);
    return reply.redirect('/sign-in', 303);
  });
}
