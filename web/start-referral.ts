/**
 * The "start a referral" form: what staff type, read into the service's TransferRequest. The web
 * form asks for the member's name and date of birth, which the schema leaves optional for older
 * callers; every other rule is the service's.
 */
import { z } from 'zod';
import type { Directory } from '../domain/directory';
import { LevelOfCare, Urgency } from '../domain/stages';
import { Member, TransferRequest } from '../domain/transfer';
import { checked, field, fields } from './form-body';
import { alert, fieldError, html, Html } from './html';

export const WebTransferRequest = TransferRequest.extend({
  member: Member.extend({
    name: z.string({ error: 'required' }).trim().min(1).max(200),
    dateOfBirth: z.iso.date('expected a date like 1980-04-30'),
  }),
});

export function formToRequest(body: unknown): Record<string, unknown> {
  return {
    member: {
      memberId: field(body, 'member.memberId'),
      name: field(body, 'member.name'),
      dateOfBirth: field(body, 'member.dateOfBirth'),
      phone: field(body, 'member.phone'),
      email: field(body, 'member.email'),
      planMemberId: field(body, 'member.planMemberId'),
      language: field(body, 'member.language'),
      timeZone: field(body, 'member.timeZone'),
      contactPreferences: fields(body, 'member.contactPreferences'),
    },
    sendingProgramId: field(body, 'sendingProgramId'),
    caseManagerId: field(body, 'caseManagerId'),
    receivingProviderId: field(body, 'receivingProviderId'),
    fromLevelOfCare: field(body, 'fromLevelOfCare'),
    toLevelOfCare: field(body, 'toLevelOfCare'),
    urgency: field(body, 'urgency'),
    partTwo: checked(body, 'partTwo'),
    sequestered: checked(body, 'sequestered'),
    reason: field(body, 'reason'),
    managedCarePlanId: field(body, 'managedCarePlanId'),
  };
}

type Values = Record<string, string | string[] | undefined>;

export function startReferralForm(
  directory: Directory,
  csrf: string,
  values: Values = {},
  errors: Record<string, string> = {},
): Html {
  const v = (k: string): string => {
    const x = values[k];
    return Array.isArray(x) ? (x[0] ?? '') : (x ?? '');
  };
  const text = (name: string, label: string, type = 'text', extra = '') =>
    html`<label class="usa-label" for="${name}">${label}${fieldError(errors, name)}</label
      ><input
        class="usa-input"
        id="${name}"
        name="${name}"
        type="${type}"
        value="${v(name)}"
        ${new Html(extra)}
        aria-describedby="${name}-error"
      />`;
  const select = (name: string, label: string, options: [string, string][]) =>
    html`<label class="usa-label" for="${name}">${label}${fieldError(errors, name)}</label
      ><select class="usa-select" id="${name}" name="${name}">
        <option value="">Choose…</option>
        ${options.map(
          ([value, shown]) =>
            html`<option value="${value}" ${v(name) === value ? html`selected` : ''}>${shown}</option>`,
        )}
      </select>`;
  const prefs = values['member.contactPreferences'];
  const prefChecked = (p: string) =>
    prefs === undefined || (Array.isArray(prefs) ? prefs.includes(p) : prefs === p) ? html`checked` : '';
  const levels = LevelOfCare.options.map((l): [string, string] => [l, l]);
  return html`<form method="post" action="/transfers" novalidate>
    <input type="hidden" name="_csrf" value="${csrf}" />
    ${errors['(input)'] ? alert('error', errors['(input)']) : ''}
    <fieldset class="usa-fieldset">
      <legend class="usa-legend">Member</legend>
      ${text('member.name', 'Name')} ${text('member.dateOfBirth', 'Date of birth', 'date')}
      ${text('member.memberId', 'EHR member id')}
      ${text('member.phone', 'Mobile phone (E.164, like +15105550123)', 'tel')}
      ${text('member.email', 'Email', 'email')}
      ${text('member.planMemberId', 'Plan member id (Medi-Cal CIN), if enrolled in a managed care plan')}
      ${select('member.language', 'Language', [
        ['en', 'English'],
        ['es', 'Español'],
      ])}
      ${text('member.timeZone', 'Time zone', 'text', 'placeholder="America/Los_Angeles"')}
      <label>Contact preferences${fieldError(errors, 'member.contactPreferences')}</label>
      <label
        ><input type="checkbox" name="member.contactPreferences" value="sms" ${prefChecked('sms')} /> Text
        messages</label
      >
      <label
        ><input type="checkbox" name="member.contactPreferences" value="email" ${prefChecked('email')} /> Email</label
      >
    </fieldset>
    <fieldset class="usa-fieldset">
      <legend class="usa-legend">Referral</legend>
      ${select(
        'sendingProgramId',
        'Sending program',
        directory.programs.map((p) => [p.id, p.name]),
      )}
      ${select(
        'caseManagerId',
        'Case manager',
        directory.programs.flatMap((p) => p.caseManagers.map((c): [string, string] => [c.id, `${c.name} (${p.name})`])),
      )}
      ${select(
        'receivingProviderId',
        'Receiving provider',
        directory.providers.map((p) => [p.id, p.name]),
      )}
      ${select('fromLevelOfCare', 'From level of care', levels)} ${select('toLevelOfCare', 'To level of care', levels)}
      ${
        directory.managedCarePlans.length
          ? select(
              'managedCarePlanId',
              'Managed care plan (told of residential admissions and discharges)',
              directory.managedCarePlans.map((p) => [p.id, p.name]),
            )
          : ''
      }
      ${select(
        'urgency',
        'Urgency',
        Urgency.options.map((u) => [u, u]),
      )}
      <label
        ><input type="checkbox" name="partTwo" value="on" ${values.partTwo ? html`checked` : ''} /> Records include SUD
        treatment information (42 CFR Part 2)${fieldError(errors, 'partTwo')}</label
      >
      <label
        ><input type="checkbox" name="sequestered" value="on" ${values.sequestered ? html`checked` : ''} /> The member's
        chart is sequestered${fieldError(errors, 'sequestered')}</label
      >
      <label class="usa-label" for="reason">Reason for the transfer${fieldError(errors, 'reason')}</label
      ><textarea class="usa-textarea" id="reason" name="reason" rows="3" cols="60">${v('reason')}</textarea>
    </fieldset>
    <button class="usa-button" type="submit">Start referral</button>
  </form>`;
}
