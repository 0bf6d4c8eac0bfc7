/** The staff list of transfers, filtered by stage, waiting-on, provider and "stuck". */
import type { TransferRow } from '../client/transfer-list';
import { CLOCK_TITLES, type ClockKind } from '../domain/clocks/kinds';
import type { Directory } from '../domain/directory';
import { REFERRAL_STAGES, WaitingOn } from '../domain/stages';
import { field } from './form-body';
import { html, type Html } from './html';
import { showDeadline } from '../domain/calendar';

export interface ListFilters {
  stage?: string;
  waitingOn?: string;
  provider?: string;
  stuck: boolean;
  /** Include ended transfers (linked, declined, withdrawn, lost to follow-up). */
  all: boolean;
}

export function filtersFromQuery(query: unknown): ListFilters {
  return {
    stage: field(query, 'stage'),
    waitingOn: field(query, 'waitingOn'),
    provider: field(query, 'provider'),
    stuck: field(query, 'stuck') === 'on' || field(query, 'stuck') === 'true',
    all: field(query, 'all') === 'on' || field(query, 'all') === 'true',
  };
}

/** A transfer links to its page; a coordination clock (in the stuck list) has none yet, so it shows its kind. */
function subjectCell(r: TransferRow): Html {
  if (r.kind === 'transfer' || r.kind === null) return html`<a href="/transfers/${r.id}">${r.id}</a>`;
  return html`${r.id} (${CLOCK_TITLES[r.kind as ClockKind] ?? r.kind})`;
}

export function listPage(
  rows: TransferRow[],
  f: ListFilters,
  directory: Directory,
  timeZone: string,
  problem?: string,
): Html {
  const option = (value: string, current: string | undefined, label = value) =>
    html`<option value="${value}" ${value === current ? html`selected` : ''}>${label}</option>`;
  return html`<form method="get" action="/transfers">
      <label for="stage">Stage</label
      ><select id="stage" name="stage">
        <option value="">any</option>
        ${[...REFERRAL_STAGES, 'done'].map((s) => option(s, f.stage))}
      </select>
      <label for="waitingOn">Waiting on</label
      ><select id="waitingOn" name="waitingOn">
        <option value="">anyone</option>
        ${WaitingOn.options.map((w) => option(w, f.waitingOn))}
      </select>
      <label for="provider">Provider</label
      ><select id="provider" name="provider">
        <option value="">any</option>
        ${directory.providers.map((p) => option(p.id, f.provider, p.name))}
      </select>
      <label
        ><input type="checkbox" name="stuck" value="on" ${f.stuck ? html`checked` : ''} /> Only stuck (past the stage
        deadline)</label
      >
      <label
        ><input type="checkbox" name="all" value="on" ${f.all ? html`checked` : ''} /> Include ended transfers</label
      >
      <button type="submit">Filter</button>
    </form>
    ${problem ? html`<p class="problem">${problem}</p>` : ''}
    <table id="transfers">
      <tr>
        <th>Referral</th>
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
            <td>${r.stage ?? ''}</td>
            <td>${r.waitingOn ?? ''}</td>
            <td>${r.deadline ? showDeadline(r.deadline, timeZone, 'long') : '—'}</td>
            <td>${r.escalationLevel ?? ''}</td>
            <td>${r.provider ?? ''}</td>
            <td>${r.outcome ?? ''}</td>
          </tr>`,
      )}
    </table>
    ${rows.length === 0 ? html`<p>No transfers match.</p>` : ''}`;
}
