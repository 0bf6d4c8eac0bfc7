/** Staff pages: the list, the start form, a transfer's page and its action forms (post, then redirect). */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { StaffUser } from './accounts';
import { workflowUiLink, type WebContext } from './context';
import { expected, NOT_FOUND, type WebProblem } from './errors';
import type { FormBody } from './form-body';
import { alert, html, page, type Html } from './html';
import { listPage } from './list-page';
import { findTransfers, startTransfer, transferQuery } from './transfer-lookup';
import { may, actorFor } from './roles';
import { guard } from './staff-auth';
import { allowedActions, formToEvent, isStaffAction } from './staff-actions';
import { formToRequest, startReferralForm, WebTransferRequest } from './start-referral';
import { parseInput } from '../client/parse-input';
import { transferPage } from './transfer-page';

export function staffPageRoutes(app: FastifyInstance, ctx: WebContext): void {
  const send = (reply: FastifyReply, status: number, body: string) => reply.code(status).type('text/html').send(body);
  const now = () => ctx.now?.() ?? new Date();

  app.get('/', async (_request, reply) => reply.redirect('/transfers', 303));

  app.get('/transfers', async (request, reply) => {
    const user = await guard(ctx.sessions, request, reply, 'read', 'page');
    if (!user) return reply;
    const q = transferQuery(request.query);
    try {
      const found = await findTransfers(ctx, q);
      return send(
        reply,
        200,
        page(ctx.sessions.chrome(reply, user, 'Transfers'), listPage(found, q, ctx.directory, ctx.timeZone)),
      );
    } catch (err) {
      const problem = expected(err);
      const said = Object.entries(problem.errors)
        .map(([f, m]) => `${f}: ${m}`)
        .join('; ');
      return send(
        reply,
        problem.status,
        page(
          ctx.sessions.chrome(reply, user, 'Transfers'),
          listPage({ rows: [], nextPageToken: null }, q, ctx.directory, ctx.timeZone, said || problem.message),
        ),
      );
    }
  });

  app.get('/transfers/new', async (request, reply) => {
    const user = await guard(ctx.sessions, request, reply, 'start', 'page');
    if (!user) return reply;
    return send(
      reply,
      200,
      page(
        ctx.sessions.chrome(reply, user, 'Start a referral'),
        startReferralForm(ctx.directory, ctx.sessions.csrfToken(reply)),
      ),
    );
  });

  app.post('/transfers', async (request, reply) => {
    const user = await guard(ctx.sessions, request, reply, 'start', 'page');
    if (!user) return reply;
    try {
      const input = parseInput(WebTransferRequest, formToRequest(request.body));
      const { referralId } = await startTransfer(ctx, input);
      return reply.redirect(`/transfers/${referralId}?started=1`, 303);
    } catch (err) {
      const problem = expected(err);
      const form = startReferralForm(
        ctx.directory,
        ctx.sessions.csrfToken(reply),
        request.body as FormBody,
        problem.errors,
      );
      return send(
        reply,
        problem.status,
        page(ctx.sessions.chrome(reply, user, 'Start a referral'), html`${alert('error', problem.message)} ${form}`),
      );
    }
  });

  const showTransfer = async (
    request: FastifyRequest,
    reply: FastifyReply,
    user: StaffUser,
    status: number,
    extra: { notice?: string; problem?: { action: string } & WebProblem },
  ) => {
    const referralId = (request.params as { referralId: string }).referralId;
    let body: Html;
    try {
      const [state, summary] = await Promise.all([
        ctx.service.getTransfer(referralId),
        ctx.service.summarizeTransfer(referralId),
      ]);
      body = transferPage({
        state,
        actions: allowedActions(state, now()),
        mayWithdraw: may(user, 'withdraw'),
        temporalUiLink: workflowUiLink(ctx, summary.row.workflowId),
        directory: ctx.directory,
        timeZone: ctx.timeZone,
        csrf: ctx.sessions.csrfToken(reply),
        notice: extra.notice,
        problem: extra.problem,
      });
    } catch (err) {
      // A malformed id is simply not found: the page has no field to mark.
      const found = expected(err);
      const problem = found.status === 400 ? NOT_FOUND : found;
      return send(reply, problem.status, page(ctx.sessions.chrome(reply, user, problem.message), html``));
    }
    return send(reply, status, page(ctx.sessions.chrome(reply, user, `Transfer ${referralId}`), body));
  };

  app.get('/transfers/:referralId', async (request, reply) => {
    const user = await guard(ctx.sessions, request, reply, 'read', 'page');
    if (!user) return reply;
    const q = request.query as Record<string, string | undefined>;
    return showTransfer(request, reply, user, 200, {
      notice: q.started ? 'Referral started.' : q.done ? `Recorded: ${q.done}.` : undefined,
    });
  });

  app.post('/transfers/:referralId/actions/:action', async (request, reply) => {
    const { referralId, action } = request.params as { referralId: string; action: string };
    const user = await guard(ctx.sessions, request, reply, action === 'withdrawn' ? 'withdraw' : 'send-event', 'page');
    if (!user) return reply;
    if (!isStaffAction(action)) return send(reply, 404, page(ctx.sessions.chrome(reply, user, 'Not found.'), html``));
    try {
      const summary = await ctx.service.summarizeTransfer(referralId);
      const event = formToEvent(action, request.body, {
        sendingProgramId: summary.row.sendingProgram ?? '',
        timeZone: ctx.timeZone,
      });
      await ctx.service.sendEvent(referralId, { ...event, actor: actorFor(user) });
      request.log.info({ user: user.id, referralId, action }, 'staff action');
      return reply.redirect(`/transfers/${referralId}?done=${action}`, 303);
    } catch (err) {
      const problem = expected(err);
      if (problem.status === 404) return send(reply, 404, page(ctx.sessions.chrome(reply, user, 'Not found.'), html``));
      return showTransfer(request, reply, user, problem.status, { problem: { action, ...problem } });
    }
  });
}
