/**
 * Access, for admins: who is signed in (each session can be ended at once) and the personal API
 * tokens the CLI and scripts use (issued for one account, shown once, revoked here). The page and
 * `/api/access` do the same things.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseInput } from '../client/parse-input';
import { InvalidInputError } from '../client/service-errors';
import type { WebContext } from './context';
import { sendProblem, toProblem } from './errors';
import { field } from './form-body';
import { alert, fieldError, html, page, type Html } from './html';
import { showInstant } from './local-time';
import { guard } from './staff-auth';
import type { SignedInUser } from './session';

const IssueToken = z.strictObject({
  userId: z.string().min(1),
  label: z.string().trim().min(1).max(80),
});

export function accessRoutes(app: FastifyInstance, ctx: WebContext): void {
  const { store: sessions, tokens } = ctx.sessions;

  /** Issues a token for an account that exists, with that account's role. */
  const issue = async (input: unknown, admin: SignedInUser) => {
    const { userId, label } = parseInput(IssueToken, input);
    const account = ctx.accounts.find(userId);
    if (!account) throw new InvalidInputError([{ field: 'userId', message: 'no such account' }]);
    const issued = await tokens.issue({ userId, role: account.role }, label, admin.id);
    ctx.logger.info({ admin: admin.id, user: userId, tokenId: issued.id }, 'API token issued');
    return { ...issued, userId, role: account.role };
  };
  const revoke = async (id: string, admin: SignedInUser) => {
    const done = await tokens.revoke(id);
    if (done) ctx.logger.info({ admin: admin.id, tokenId: id }, 'API token revoked');
    return done;
  };
  const endSession = async (id: string, admin: SignedInUser) => {
    const done = await sessions.end(id);
    if (done) ctx.logger.info({ admin: admin.id, sessionId: id }, 'session ended by an admin');
    return done;
  };
  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;

  app.get('/api/access', async (request, reply) => {
    if (!(await guard(ctx.sessions, request, reply, 'access', 'api'))) return reply;
    return { sessions: await sessions.list(), tokens: await tokens.list() };
  });
  app.post('/api/access/tokens', async (request, reply) => {
    const admin = await guard(ctx.sessions, request, reply, 'access', 'api');
    if (!admin) return reply;
    try {
      return reply.code(201).send(await issue(request.body, admin));
    } catch (err) {
      return sendProblem(reply, err);
    }
  });
  app.delete('/api/access/tokens/:id', async (request, reply) => {
    const admin = await guard(ctx.sessions, request, reply, 'access', 'api');
    if (!admin) return reply;
    return (await revoke(idOf(request), admin))
      ? reply.code(204).send()
      : reply.code(404).send({ error: 'no live token with that id' });
  });
  app.delete('/api/access/sessions/:id', async (request, reply) => {
    const admin = await guard(ctx.sessions, request, reply, 'access', 'api');
    if (!admin) return reply;
    return (await endSession(idOf(request), admin))
      ? reply.code(204).send()
      : reply.code(404).send({ error: 'no live session with that id' });
  });

  const sendPage = async (
    reply: FastifyReply,
    admin: SignedInUser,
    extra: { status?: number; issued?: { token: string; userId: string }; errors?: Record<string, string> } = {},
  ) => {
    const csrf = ctx.sessions.csrfToken(reply);
    const body = accessPage(
      csrf,
      await sessions.list(),
      await tokens.list(),
      ctx.accounts.list().map((a) => a.id),
      (iso) => showInstant(iso, ctx.timeZone),
      extra,
    );
    return reply
      .code(extra.status ?? 200)
      .type('text/html')
      .send(page(ctx.sessions.chrome(reply, admin, 'Access'), body));
  };

  app.get('/access', async (request, reply) => {
    const admin = await guard(ctx.sessions, request, reply, 'access', 'page');
    return admin ? sendPage(reply, admin) : reply;
  });
  app.post('/access/tokens', async (request, reply) => {
    const admin = await guard(ctx.sessions, request, reply, 'access', 'page');
    if (!admin) return reply;
    try {
      const issued = await issue({ userId: field(request.body, 'userId'), label: field(request.body, 'label') }, admin);
      return sendPage(reply, admin, { status: 201, issued });
    } catch (err) {
      const problem = toProblem(err);
      if (!problem) throw err;
      return sendPage(reply, admin, { status: problem.status, errors: problem.errors });
    }
  });
  app.post('/access/tokens/:id/revoke', async (request, reply) => {
    const admin = await guard(ctx.sessions, request, reply, 'access', 'page');
    if (!admin) return reply;
    await revoke(idOf(request), admin);
    return reply.redirect('/access', 303);
  });
  app.post('/access/sessions/:id/end', async (request, reply) => {
    const admin = await guard(ctx.sessions, request, reply, 'access', 'page');
    if (!admin) return reply;
    await endSession(idOf(request), admin);
    return reply.redirect('/access', 303);
  });
}

function accessPage(
  csrf: string,
  sessions: Awaited<ReturnType<WebContext['sessions']['store']['list']>>,
  tokens: Awaited<ReturnType<WebContext['sessions']['tokens']['list']>>,
  accountIds: string[],
  t: (iso: string | null) => string,
  extra: { issued?: { token: string; userId: string }; errors?: Record<string, string> },
): Html {
  const errors = extra.errors ?? {};
  const button = (action: string, label: string) =>
    html`<form method="post" action="${action}">
      <input type="hidden" name="_csrf" value="${csrf}" /><button class="usa-button">${label}</button>
    </form>`;
  return html`${
      extra.issued
        ? alert(
            'success',
            html`<p>The API token for ${extra.issued.userId}. It is shown only now: give it to that person.</p>
              <p><code id="issued-token">${extra.issued.token}</code></p>
              <p>On their computer: <code>export REFERRALS_API_TOKEN=&lt;the token&gt;</code> (docs/web.md).</p>`,
          )
        : ''
    }
    <h2>Signed in</h2>
    <div class="wide">
      <table class="usa-table" id="sessions">
        <thead>
          <tr>
            <th>Session</th>
            <th>Person</th>
            <th>Role</th>
            <th>Since</th>
            <th>Until</th>
            <th><span class="usa-sr-only">Action</span></th>
          </tr>
        </thead>
        <tbody>
          ${sessions.map(
            (s) =>
              html`<tr>
                <td>${s.id}</td>
                <td>${s.userId}</td>
                <td>${s.role}</td>
                <td>${t(s.startedAt)}</td>
                <td>${t(s.expiresAt)}</td>
                <td>${button(`/access/sessions/${s.id}/end`, 'End')}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
    <h2>API tokens</h2>
    <div class="wide">
      <table class="usa-table" id="tokens">
        <thead>
          <tr>
            <th>Token</th>
            <th>Person</th>
            <th>Role</th>
            <th>For</th>
            <th>Issued</th>
            <th>Revoked</th>
            <th><span class="usa-sr-only">Action</span></th>
          </tr>
        </thead>
        <tbody>
          ${tokens.map(
            (k) =>
              html`<tr>
                <td>${k.id}</td>
                <td>${k.userId}</td>
                <td>${k.role}</td>
                <td>${k.label}</td>
                <td>${t(k.issuedAt)} by ${k.issuedBy}</td>
                <td>${t(k.revokedAt)}</td>
                <td>${k.revokedAt ? '' : button(`/access/tokens/${k.id}/revoke`, 'Revoke')}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
    <h2>Issue a token</h2>
    <form method="post" action="/access/tokens">
      <input type="hidden" name="_csrf" value="${csrf}" />
      <label class="usa-label" for="userId">Account${fieldError(errors, 'userId')}</label>
      <select class="usa-select" id="userId" name="userId">
        ${accountIds.map((id) => html`<option value="${id}">${id}</option>`)}
      </select>
      <label class="usa-label" for="label">What it is for${fieldError(errors, 'label')}</label>
      <input class="usa-input" id="label" name="label" maxlength="80" />
      <p><button class="usa-button" type="submit">Issue token</button></p>
    </form>`;
}
