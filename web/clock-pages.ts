/**
 * The coordination clocks (seed 003) for staff in the browser, like the transfer pages: the list
 * (running, or all; by kind), a start form for each kind, and each clock's page with its
 * deadlines, outcome, timeline and the events its stage allows (forms: web/clock-forms.ts).
 * Forms post, then redirect; a refusal redraws the form with what was typed and why.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { clockTimelineLine } from '../client/clock-timeline';
import { CLOCK_KINDS, CLOCK_TITLES, ClockKind, clockWorkflowIdFor } from '../domain/clocks/kinds';
import type { ClockState } from '../domain/clocks/state';
import { showDeadline } from '../domain/calendar';
import type { WebContext } from './context';
import { workflowUiLink } from './context';
import { expected, toProblem, type WebProblem } from './errors';
import { field } from './form-body';
import { alert, html, page, type Html } from './html';
import { showInstant } from './local-time';
import { guard } from './staff-auth';
import type { StaffUser } from './accounts';
import type { TransferRow } from '../client/transfer-list';
import { allowedClockEvents, EVENT_LABELS, eventFields, isPageEvent, startClockFields } from './clock-forms';
import { drawFields, readForm } from './form-fields';
import type { FormBody } from './form-body';
import { actorFor, may } from './roles';

export function clockPages(app: FastifyInstance, ctx: WebContext): void {
  const send = async (reply: FastifyReply, status: number, title: string, user: StaffUser, body: Html) =>
    reply
      .code(status)
      .type('text/html')
      .send(page(ctx.sessions.chrome(reply, user, title), body));

  app.get('/clocks', async (request, reply) => {
    const user = await guard(ctx.sessions, request, reply, 'read', 'page');
    if (!user) return reply;
    const kind = field(request.query, 'kind');
    const all = field(request.query, 'all') === 'on';
    try {
      const rows = await ctx.clocks.listClocks({ kind: kind as never, status: all ? 'all' : undefined });
      return send(reply, 200, 'Coordination clocks', user, clockList(rows, kind, all, ctx.timeZone));
    } catch (err) {
      const problem = toProblem(err);
      if (!problem) throw err;
      return send(
        reply,
        problem.status,
        'Coordination clocks',
        user,
        html`${alert('error', problem.message)}${clockList([], kind, all, ctx.timeZone)}`,
      );
    }
  });

  app.get('/clocks/new', async (request, reply) => {
    const user = await guard(ctx.sessions, request, reply, 'start', 'page');
    if (!user) return reply;
    const kind = ClockKind.safeParse(field(request.query, 'kind'));
    const body = kind.success ? startForm(kind.data, ctx, ctx.sessions.csrfToken(reply)) : kindChoice();
    return send(reply, 200, 'Start a clock', user, body);
  });

  app.post('/clocks', async (request, reply) => {
    const user = await guard(ctx.sessions, request, reply, 'start', 'page');
    if (!user) return reply;
    const kind = ClockKind.safeParse(field(request.body, 'kind'));
    if (!kind.success)
      return send(reply, 400, 'Start a clock', user, html`${alert('error', 'Choose a kind of clock.')}${kindChoice()}`);
    try {
      const clockRequest = {
        kind: kind.data,
        ...readForm(startClockFields(kind.data, ctx.directory), request.body, ctx.timeZone),
      };
      const { clockId } = await ctx.clocks.startClock(clockRequest);
      request.log.info({ user: user.id, clockId, kind: kind.data }, 'clock started from the page');
      return reply.redirect(`/clocks/${clockId}?started=1`, 303);
    } catch (err) {
      const problem = expected(err);
      const form = startForm(kind.data, ctx, ctx.sessions.csrfToken(reply), request.body as FormBody, problem.errors);
      return send(reply, problem.status, 'Start a clock', user, html`${alert('error', problem.message)} ${form}`);
    }
  });

  const showClock = async (
    request: FastifyRequest,
    reply: FastifyReply,
    user: StaffUser,
    status: number,
    extra: { notice?: string; problem?: { type: string; values: FormBody } & WebProblem } = {},
  ) => {
    const clockId = (request.params as { clockId: string }).clockId;
    try {
      const state = await ctx.clocks.getClock(clockId);
      const csrf = ctx.sessions.csrfToken(reply);
      return send(reply, status, `Clock ${clockId}`, user, clockPage(state, ctx, user, csrf, extra));
    } catch (err) {
      const problem = expected(err);
      return send(
        reply,
        problem.status === 400 ? 404 : problem.status,
        problem.status === 400 ? 'Not found.' : problem.message,
        user,
        html``,
      );
    }
  };

  app.get('/clocks/:clockId', async (request, reply) => {
    const user = await guard(ctx.sessions, request, reply, 'read', 'page');
    if (!user) return reply;
    const done = field(request.query, 'done');
    const notice = field(request.query, 'started')
      ? 'Clock started.'
      : done && isPageEvent(done)
        ? `Recorded: ${EVENT_LABELS[done]}.`
        : undefined;
    return showClock(request, reply, user, 200, { notice });
  });

  app.post('/clocks/:clockId/events/:type', async (request, reply) => {
    const { clockId, type } = request.params as { clockId: string; type: string };
    // Closing a clock is a manager's decision, like withdrawing a transfer.
    const user = await guard(ctx.sessions, request, reply, type === 'clock-closed' ? 'withdraw' : 'send-event', 'page');
    if (!user) return reply;
    if (!isPageEvent(type)) return send(reply, 404, 'Not found.', user, html``);
    try {
      const event = { type, ...readForm(eventFields(type, ctx.directory), request.body, ctx.timeZone) };
      await ctx.clocks.sendClockEvent(clockId, { ...event, actor: actorFor(user) });
      request.log.info({ user: user.id, clockId, type }, 'clock event from the page');
      return reply.redirect(`/clocks/${clockId}?done=${type}`, 303);
    } catch (err) {
      const problem = expected(err);
      if (problem.status === 404) return send(reply, 404, 'Not found.', user, html``);
      return showClock(request, reply, user, problem.status, {
        problem: { type, values: request.body as FormBody, ...problem },
      });
    }
  });
}

function kindChoice(): Html {
  return html`<p>Which clock?</p>
    <ul class="usa-list">
      ${CLOCK_KINDS.map((k) => html`<li><a class="usa-link" href="/clocks/new?kind=${k}">${CLOCK_TITLES[k]}</a></li>`)}
    </ul>`;
}

function startForm(
  kind: ClockKind,
  ctx: WebContext,
  csrf: string,
  values: FormBody = {},
  errors: Record<string, string> = {},
): Html {
  return html`<h2>${CLOCK_TITLES[kind]}</h2>
    <form method="post" action="/clocks" novalidate>
      <input type="hidden" name="_csrf" value="${csrf}" />
      <input type="hidden" name="kind" value="${kind}" />
      ${drawFields(startClockFields(kind, ctx.directory), values, errors)}
      <p><button class="usa-button" type="submit">Start the clock</button></p>
    </form>
    <p>Consents already signed are recorded on the clock afterwards, from the CLI or the API.</p>`;
}

function clockList(rows: TransferRow[], kind: string | undefined, all: boolean, timeZone: string): Html {
  const option = (value: string, label: string) =>
    html`<option value="${value}" ${value === kind ? html`selected` : ''}>${label}</option>`;
  return html`<form method="get" action="/clocks">
      <label class="usa-label" for="kind">Kind</label
      ><select class="usa-select" id="kind" name="kind">
        <option value="">any</option>
        ${CLOCK_KINDS.map((k) => option(k, CLOCK_TITLES[k]))}
      </select>
      <label><input type="checkbox" name="all" value="on" ${all ? html`checked` : ''} /> Include ended clocks</label>
      <button class="usa-button" type="submit">Show</button>
    </form>
    <p><a class="usa-button" href="/clocks/new">Start a clock</a></p>
    <div class="wide">
      <table class="usa-table" id="clocks">
        <tr>
          <th>Clock</th>
          <th>Kind</th>
          <th>Stage</th>
          <th>Waiting on</th>
          <th>Deadline</th>
          <th>Escalation</th>
          <th>Outcome</th>
        </tr>
        ${rows.map(
          (r) =>
            html`<tr>
              <td><a href="/clocks/${r.id}">${r.id}</a></td>
              <td>${r.kind ? (CLOCK_TITLES[r.kind as ClockKind] ?? r.kind) : ''}</td>
              <td>${r.stage ?? ''}</td>
              <td>${r.waitingOn ?? ''}</td>
              <td>${r.deadline ? showDeadline(r.deadline, timeZone, 'long') : '—'}</td>
              <td>${r.escalationLevel ?? ''}</td>
              <td>${r.outcome ?? ''}</td>
            </tr>`,
        )}
      </table>
    </div>
    ${rows.length === 0 ? html`<p>No clocks match.</p>` : ''}`;
}

function clockPage(
  s: ClockState,
  ctx: WebContext,
  user: StaffUser,
  csrf: string,
  extra: { notice?: string; problem?: { type: string; values: FormBody } & WebProblem },
): Html {
  const t = (iso: string | null | undefined) => showInstant(iso, ctx.timeZone);
  const now = ctx.now?.() ?? new Date();
  const events = allowedClockEvents(s, actorFor(user).role, now).filter((type) =>
    may(user, type === 'clock-closed' ? 'withdraw' : 'send-event'),
  );
  const problem = extra.problem;
  return html`${extra.notice ? alert('success', extra.notice) : ''}
    ${problem && !isPageEvent(problem.type) ? alert('error', problem.message) : ''}
    <dl>
      <dt>Kind</dt>
      <dd>${CLOCK_TITLES[s.kind]}</dd>
      <dt>Stage</dt>
      <dd id="clock-stage">${s.stage}</dd>
      <dt>Waiting on</dt>
      <dd>${s.waitingOn}</dd>
      <dt>Current deadline</dt>
      <dd>${s.stageDeadline ? showDeadline(s.stageDeadline, ctx.timeZone, 'long') : '—'}</dd>
      <dt>Escalation level</dt>
      <dd>${s.escalationLevel}</dd>
      <dt>Due (the seed's deadline)</dt>
      <dd>${t(s.dueAt)}</dd>
      <dt>Met</dt>
      <dd>${s.metAt ? html`${t(s.metAt)}${s.metOnTime ? '' : ' (late)'}` : '—'}</dd>
      <dt>Outcome</dt>
      <dd id="clock-outcome">${s.outcome ? `${s.outcome}${s.outcomeReason ? ` (${s.outcomeReason})` : ''}` : '—'}</dd>
    </dl>
    <p><a href="${workflowUiLink(ctx, clockWorkflowIdFor(s.clockId))}">Open this workflow in the Temporal UI</a></p>
    ${s.stage === 'done' ? '' : recordForms(s, ctx, events, csrf, problem)}
    <h2>Timeline</h2>
    <ol id="clock-timeline">
      ${s.timeline.map(
        (e) => html`<li>${t(e.at)}: ${clockTimelineLine(e, (iso) => showDeadline(iso, ctx.timeZone, 'long'))}</li>`,
      )}
    </ol>`;
}

/** One form for each event the clock takes now; a refused one shows why, above what was typed. */
function recordForms(
  s: ClockState,
  ctx: WebContext,
  events: ReturnType<typeof allowedClockEvents>,
  csrf: string,
  problem: ({ type: string; values: FormBody } & WebProblem) | undefined,
): Html {
  return html`<h2>Record</h2>
    ${events.length === 0 ? html`<p>Nothing to record at this stage.</p>` : ''}
    ${events.map((type) => {
      const mine = problem?.type === type ? problem : undefined;
      return html`<form class="clock-event" method="post" action="/clocks/${s.clockId}/events/${type}" novalidate>
        <input type="hidden" name="_csrf" value="${csrf}" />
        <h3>${EVENT_LABELS[type]}</h3>
        ${mine ? alert('error', mine.message) : ''}
        ${drawFields(eventFields(type, ctx.directory), mine?.values, mine?.errors)}
        <p><button class="usa-button" type="submit">Record: ${EVENT_LABELS[type]}</button></p>
      </form>`;
    })}
    <p>Consents are recorded with <code>referrals clock event … consent-recorded</code> or the API.</p>`;
}
