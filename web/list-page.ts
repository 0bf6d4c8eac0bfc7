/**
 * The staff list of transfers: find a member by name or id, filter by stage, waiting-on,
 * provider, outcome and start date, "stuck"; one page at a time, with whom each row is about.
 */
import { CLOCK_TITLES, type ClockKind } from '../domain/clocks/kinds';
import type { Directory } from '../domain/directory';
import { Outcome, REFERRAL_STAGES, WaitingOn } from '../domain/stages';
import { alert, html, type Html } from './html';
import { showDeadline } from '../domain/calendar';
import type { StaffRow, TransferQuery } from './transfer-lookup';

/** A transfer links to its page; a coordination clock (in the stuck list) to its own, with its kind. */
function subjectCell(r: StaffRow): Html {
  if (r.kind === 'transfer' || r.kind === null) return html`<a href="/transfers/${r.id}">${r.id}</a>`;
  return html`<a href="/clocks/${r.id}">${r.id}</a> (${CLOCK_TITLES[r.kind as ClockKind] ?? r.kind})`;
}

function memberCell(r: StaffRow): Html {
  if (!r.member) return html``;
  const born = r.member.dateOfBirth ? html`<br /><small>born ${r.member.dateOfBirth}</small>` : '';
  return html`${r.member.name ?? ''}${born}<br /><small>${r.member.memberId}</small>`;
}

/** The same filters with the next page's token: the link to the next page. */
function nextPageHref(q: TransferQuery, token: string): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...q, pageToken: token }))
    if (v !== undefined && v !== false) params.set(k, v === true ? 'on' : String(v));
  return `/transfers?${params.toString()}`;
}

export function listPage(
  found: { rows: StaffRow[]; nextPageToken: string | null },
  q: TransferQuery,
  directory: Directory,
  timeZone: string,
  problem?: string,
): Html {
  const option = (value: string, current: string | undefined, label = value) =>
    html`<option value="${value}" ${value === current ? html`selected` : ''}>${label}</option>`;
  const { rows, nextPageToken } = found;
  return html`<form method="get" action="/transfers" role="search">
      <label class="usa-label" for="member">Member name or id</label>
      <input class="usa-input" id="member" name="member" type="search" value="${q.member ?? ''}" autocomplete="off" />
      <label class="usa-label" for="stage">Stage</label
      ><select class="usa-select" id="stage" name="stage">
        <option value="">any</option>
        ${[...REFERRAL_STAGES, 'done'].map((s) => option(s, q.stage))}
      </select>
      <label class="usa-label" for="waitingOn">Waiting on</label
      ><select class="usa-select" id="waitingOn" name="waitingOn">
        <option value="">anyone</option>
        ${WaitingOn.options.map((w) => option(w, q.waitingOn))}
      </select>
      <label class="usa-label" for="provider">Provider</label
      ><select class="usa-select" id="provider" name="provider">
        <option value="">any</option>
        ${directory.providers.map((p) => option(p.id, q.provider, p.name))}
      </select>
      <label class="usa-label" for="outcome">Outcome</label
      ><select class="usa-select" id="outcome" name="outcome">
        <option value="">any</option>
        ${Outcome.options.map((o) => option(o, q.outcome))}
      </select>
      <label class="usa-label" for="startedFrom">Started from</label>
      <input class="usa-input" id="startedFrom" name="startedFrom" type="date" value="${q.startedFrom ?? ''}" />
      <label class="usa-label" for="startedTo">Started to</label>
      <input class="usa-input" id="startedTo" name="startedTo" type="date" value="${q.startedTo ?? ''}" />
      <label
        ><input type="checkbox" name="stuck" value="on" ${q.stuck ? html`checked` : ''} /> Only stuck (past the stage
        deadline)</label
      >
      <label
        ><input type="checkbox" name="all" value="on" ${q.all ? html`checked` : ''} /> Include ended transfers</label
      >
      <button class="usa-button" type="submit">Find</button>
    </form>
    ${problem ? alert('error', problem) : ''}
    <div class="wide">
      <table class="usa-table" id="transfers">
        <tr>
          <th>Referral</th>
          <th>Member</th>
          <th>Stage</th>
          <th>Waiting on</th>
          <th>Deadline</th>
          <th>Escalation</th>
          <th>Provider</th>
          <th>Outcome</th>
        </tr>
        ${rows.map(
          (r) =>
            html`<tr>
              <td>${subjectCell(r)}</td>
              <td>${memberCell(r)}</td>
              <td>${r.stage ?? ''}</td>
              <td>${r.waitingOn ?? ''}</td>
              <td>${r.deadline ? showDeadline(r.deadline, timeZone, 'long') : '—'}</td>
              <td>${r.escalationLevel ?? ''}</td>
              <td>${r.provider ?? ''}</td>
              <td>${r.outcome ?? ''}</td>
            </tr>`,
        )}
      </table>
    </div>
    ${rows.length === 0 && !problem ? html`<p>No transfers match.</p>` : ''}
    ${nextPageToken ? html`<p><a id="next-page" href="${nextPageHref(q, nextPageToken)}">Next page</a></p>` : ''}`;
}
