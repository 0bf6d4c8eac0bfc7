/**
 * One transfer's page for staff: where it stands, its timeline, consent and appointment, and a
 * form for each action its stage allows (staff-actions.ts decides which).
 */
import type { Directory } from '../domain/directory';
import { DisclosureCategory } from '../domain/packet';
import { REFERRAL_STAGES } from '../domain/stages';
import { describeUpcoming } from '../domain/details';
import type { TimelineEntry, TransferState } from '../domain/state';
import { alert, fieldError, html, type Html } from './html';
import { showInstant } from './local-time';
import { showDeadline } from '../domain/calendar';
import type { StaffAction } from './staff-actions';

export interface TransferPageModel {
  state: TransferState;
  actions: StaffAction[];
  mayWithdraw: boolean;
  temporalUiLink: string;
  directory: Directory;
  timeZone: string;
  csrf: string;
  /** A refused action's form, with its field errors or the workflow's reason. */
  problem?: { action: string; message?: string; errors: Record<string, string> };
  notice?: string;
}

export function transferPage(m: TransferPageModel): Html {
  const s = m.state;
  const t = (iso: string | null | undefined) => showInstant(iso, m.timeZone);
  const actions = m.actions.filter((a) => a !== 'withdrawn' || m.mayWithdraw);
  return html` ${m.notice ? alert('success', m.notice) : ''}
    ${m.problem?.message ? alert('error', m.problem.message) : ''} ${stageSteps(s)}
    <dl>
      <dt>Member</dt>
      <dd id="member">
        ${s.member.name ?? 'name not given'}${s.member.dateOfBirth ? html`, born ${s.member.dateOfBirth}` : ''} (member
        id ${s.member.memberId}) ·
        <a href="/disclosures?memberId=${encodeURIComponent(s.member.memberId)}">disclosures</a>
      </dd>
      <dt>Stage</dt>
      <dd id="stage">
        ${s.stage === 'done' ? html`Ended: <strong id="outcome">${s.outcome ?? ''}</strong> (${s.outcomeReason ?? ''})` : s.stage}
      </dd>
      <dt>Waiting on</dt>
      <dd>${s.waitingOn}</dd>
      <dt>Current deadline</dt>
      <dd>${s.stageDeadline ? showDeadline(s.stageDeadline, m.timeZone, 'long') : '—'}</dd>
      <dt>Escalation level</dt>
      <dd>${s.escalationLevel}</dd>
      <dt>Next</dt>
      <dd id="upcoming">
        ${s.upcomingSteps?.length ? describeUpcoming(s.upcomingSteps, m.timeZone) : 'nothing scheduled'}
      </dd>
      <dt>Receiving provider</dt>
      <dd>${providerName(m.directory, s.receivingProviderId)}</dd>
      <dt>Consent</dt>
      <dd>
        ${s.consentNeeded === null ? 'not yet known' : s.consentNeeded ? html`needed: ${s.consentReasons.join('; ')}` : 'not needed'}
      </dd>
      <dt>Appointment</dt>
      <dd id="appointment">
        ${s.appointment ? html`${t(s.appointment.at)}${s.appointment.location ? html`, ${s.appointment.location}` : ''}${s.appointment.withinStandard ? '' : ' (outside the timeliness standard)'}${s.attendedAt ? html` — attended` : ''}` : 'none yet'}
      </dd>
    </dl>
    <p><a href="${m.temporalUiLink}" target="_blank" rel="noopener">Open this workflow in the Temporal UI</a></p>
    <h2>Consent on record</h2>
    ${
      s.consents.length === 0
        ? html`<p>None.</p>`
        : html`<table class="usa-table">
            <tr>
              <th>Id</th>
              <th>Recipients</th>
              <th>Categories</th>
              <th>Purpose</th>
              <th>Expires</th>
              <th>Signed</th>
              <th>Revoked</th>
            </tr>
            ${s.consents.map(
              (c) =>
                html`<tr>
                  <td>${c.consentId}</td>
                  <td>
                    ${c.recipients.map((r) => ('providerId' in r ? r.providerId : `class ${r.providerClass}`)).join(', ')}
                  </td>
                  <td>${c.categories.join(', ')}</td>
                  <td>${c.purpose}</td>
                  <td>${'date' in c.expiration ? t(c.expiration.date) : c.expiration.event}</td>
                  <td>
                    ${t(c.signedAt)} by
                    ${c.signedBy.kind === 'member' ? 'the member' : `${c.signedBy.name} (${c.signedBy.relationship})`}
                  </td>
                  <td>${c.revokedAt ? t(c.revokedAt) : ''}</td>
                </tr>`,
            )}
          </table>`
    }
    <h2>Actions</h2>
    ${actions.length === 0 ? html`<p>No actions fit this stage.</p>` : actions.map((a) => actionForm(a, m))}
    <h2>Timeline</h2>
    <ol>
      ${s.timeline.map((e) => html`<li>${t(e.at)}: ${timelineText(e)}</li>`)}
    </ol>`;
}

function timelineText(e: TimelineEntry): string {
  switch (e.kind) {
    case 'event':
      return `${e.event.type} by ${e.event.actor.role} ${e.event.actor.id}`;
    case 'ignored-event':
      return `ignored ${e.type}: ${e.reason}`;
    case 'stage':
      return `stage ${e.stage}, waiting on ${e.waitingOn}`;
    case 'escalation':
      return `escalation level ${e.level} (${e.step})`;
    case 'disclosure':
      return `disclosed ${e.categories.join(', ')} to ${e.providerId} (${e.purpose})`;
    case 'note':
      return e.text;
  }
}

const providerName = (d: Directory, id: string): string => d.providers.find((p) => p.id === id)?.name ?? id;

const TITLES: Record<StaffAction, string> = {
  'member-informed': 'Member informed',
  'documents-ready': 'Documents ready',
  'consent-recorded': 'Record consent',
  'provider-chosen': 'Choose another provider',
  'handoff-arranged': 'Warm handoff arranged',
  'attendance-confirmed': 'Member attended',
  'no-show': 'Member did not attend',
  'episode-closed': 'Close the episode',
  withdrawn: 'Withdraw the referral',
};

function actionForm(action: StaffAction, m: TransferPageModel): Html {
  const errors = m.problem?.action === action ? m.problem.errors : {};
  const err = (f: string) => fieldError(errors, f);
  const box = (name: string, label: string) =>
    html`<label><input type="checkbox" name="${name}" value="on" /> ${label}${err(name)}</label>`;
  const text = (name: string, label: string, type = 'text') =>
    html`<label class="usa-label" for="${action}-${name}">${label}${err(name)}</label
      ><input class="usa-input" id="${action}-${name}" name="${name}" type="${type}" />`;
  return html`<form
    method="post"
    action="/transfers/${m.state.referralId}/actions/${action}"
    id="action-${action}"
    novalidate
  >
    <fieldset class="usa-fieldset">
      <legend class="usa-legend">${TITLES[action]}</legend>
      <input type="hidden" name="_csrf" value="${m.csrf}" />
      ${
        Object.keys(errors).length
          ? html`<ul class="usa-error-message">
              ${Object.entries(errors).map(([f, msg]) => html`<li>${f}: ${msg}</li>`)}
            </ul>`
          : ''
      }${actionFields(action, m, box, text, err)}
      <button class="usa-button" type="submit">${TITLES[action]}</button>
    </fieldset>
  </form>`;
}

function actionFields(
  action: StaffAction,
  m: TransferPageModel,
  box: (name: string, label: string) => Html,
  text: (name: string, label: string, type?: string) => Html,
  err: (f: string) => Html,
): Html | string {
  switch (action) {
    case 'member-informed':
      return html`${box('concernsAddressed', 'The member was told of the referral and its reasons, and their concerns were addressed')}${text('note', 'Note (optional)')}`;
    case 'consent-recorded':
      return html`${text('consentId', 'Consent form id')}${text('memberId', 'EHR member id (as on the form)')}
        <label>Recipients${err('consent.recipients')}</label>${m.directory.providers.map(
          (p) =>
            html`<label
              ><input
                type="checkbox"
                name="recipientProviderIds"
                value="${p.id}"
                ${p.id === m.state.receivingProviderId ? html`checked` : ''}
              />
              ${p.name}</label
            >`,
        )}
        <label>Categories of information${err('consent.categories')}</label
        >${DisclosureCategory.options.map((c) => html`<label><input type="checkbox" name="categories" value="${c}" /> ${c}</label>`)}
        ${text('purpose', 'Purpose')}${err('consent.purpose')}
        ${text('expirationDate', 'Expires on (date and time)', 'datetime-local')}${text('expirationEvent', 'or expires upon (event)')}${err('consent.expiration')}
        ${text('signedAt', 'Signed at', 'datetime-local')}${err('consent.signedAt')} <label>Signed by</label
        ><label><input type="radio" name="signedBy" value="member" checked /> the member</label
        ><label><input type="radio" name="signedBy" value="representative" /> a representative</label>
        ${text('representativeName', "Representative's name")}${text('representativeRelationship', "Representative's relationship")}${err('consent.signedBy.name')}
        ${box('toldOfRightToRevoke', 'The member was told of the right to revoke')}${err('consent.toldOfRightToRevoke')}`;
    case 'provider-chosen':
      return html`<label class="usa-label" for="provider-chosen-providerId">Provider${err('providerId')}</label
        ><select class="usa-select" id="provider-chosen-providerId" name="providerId">
          ${m.directory.providers
            .filter((p) => p.id !== m.state.receivingProviderId)
            .map((p) => html`<option value="${p.id}">${p.name}</option>`)}</select
        >${text('reason', 'Reason')}`;
    case 'handoff-arranged':
      return html`${box('introductions', 'Introductions made')}<label class="usa-label" for="handoff-transportation"
          >Transportation${err('transportation')}</label
        ><select class="usa-select" id="handoff-transportation" name="transportation">
          <option value="not-needed">not needed</option>
          <option value="arranged">arranged</option>
          <option value="member-declined">member declined</option></select
        >${text('note', 'Note (optional)')}`;
    case 'episode-closed':
      return html`${box('dischargeSummaryCompleted', 'Discharge summary completed')}${box('otherProvidersInformed', 'Other providers informed')}`;
    case 'withdrawn':
      return text('reason', 'Reason');
    default:
      return '';
  }
}

const stageLabel = (stage: string): string => stage.charAt(0).toUpperCase() + stage.slice(1).replace('-', ' ');

/**
 * The seed's eight steps as a USWDS step indicator: those done, the current one, those ahead.
 * A transfer that ended without a link (declined, withdrawn, lost) shows none: its outcome says why.
 */
function stageSteps(s: TransferState): Html {
  if (s.stage === 'done' && s.outcome !== 'linked') return html``;
  const current = s.stage === 'done' ? REFERRAL_STAGES.length : REFERRAL_STAGES.indexOf(s.stage);
  return html`<div
    class="usa-step-indicator usa-step-indicator--counters-sm"
    aria-label="Stages of the transfer"
    id="stages"
  >
    <ol class="usa-step-indicator__segments">
      ${REFERRAL_STAGES.map((stage, i) => {
        const where = i < current ? 'complete' : i === current ? 'current' : 'ahead';
        return html`<li
          class="usa-step-indicator__segment${where === 'ahead' ? '' : ` usa-step-indicator__segment--${where}`}"
          ${where === 'current' ? html`aria-current="step"` : ''}
        >
          <span class="usa-step-indicator__segment-label"
            >${stageLabel(stage)}${where === 'current' ? '' : html` <span class="usa-sr-only">${where === 'complete' ? 'completed' : 'not completed'}</span>`}</span
          >
        </li>`;
      })}
    </ol>
  </div>`;
}
