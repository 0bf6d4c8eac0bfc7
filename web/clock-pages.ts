/**
 * The coordination clocks (seed 003) for staff in the browser: the list (running, or all; by kind)
 * and each clock's page with its deadlines, outcome and timeline. Clocks are started and
 * moved from the CLI (`referrals clock …`) or the API (`/api/clocks`), which take each kind's own
 * request and events; the page says so.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { clockTimelineLine } from '../client/clock-timeline';
import { CLOCK_KINDS, CLOCK_TITLES, clockWorkflowIdFor, type ClockKind } from '../domain/clocks/kinds';
import type { ClockState } from '../domain/clocks/state';
import { showDeadline } from '../domain/calendar';
import type { WebContext } from './context';
import { workflowUiLink } from './context';
import { toProblem } from './errors';
import { field } from './form-body';
import { alert, html, page, type Html } from './html';
import { showInstant } from './local-time';
import { guard } from './staff-auth';
import type { StaffUser } from './accounts';
import type { TransferRow } from '../client/transfer-list';

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

  app.get('/clocks/:clockId', async (request, reply) => {
    const user = await guard(ctx.sessions, request, reply, 'read', 'page');
    if (!user) return reply;
    const clockId = (request.params as { clockId: string }).clockId;
    try {
      const state = await ctx.clocks.getClock(clockId);
      return send(reply, 200, `Clock ${clockId}`, user, clockPage(state, ctx));
    } catch (err) {
      const problem = toProblem(err);
      if (!problem) throw err;
      return send(reply, problem.status, problem.message, user, html``);
    }
  });
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
    <p>
      Start a clock and record its events with <code>referrals clock start</code> and
      <code>referrals clock event</code>, or the API (<code>/api/clocks</code>).
    </p>
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

function clockPage(s: ClockState, ctx: WebContext): Html {
  const t = (iso: string | null | undefined) => showInstant(iso, ctx.timeZone);
  return html`<dl>
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
    <h2>Timeline</h2>
    <ol id="clock-timeline">
      ${s.timeline.map((e) => html`<li>${t(e.at)}: ${clockTimelineLine(e)}</li>`)}
    </ol>`;
}
