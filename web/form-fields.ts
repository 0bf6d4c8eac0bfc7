/**
 * Forms described as data: each field names its path in the request (`member.name`), how it is
 * drawn (USWDS input, select, checkboxes, text area) and so how its value is read back. The clock
 * forms are built from these, so a field is declared once and drawn, read and marked with its
 * error from that one declaration.
 */
import { checked, field, fields, type FormBody } from './form-body';
import { fieldError, html, type Html } from './html';
import { localToInstant } from './local-time';

type Options = [value: string, label: string][];

export type FormField =
  | { kind: 'text' | 'date' | 'month' | 'tel' | 'email'; name: string; label: string }
  /** Read in the county's time zone. */
  | { kind: 'datetime'; name: string; label: string }
  | { kind: 'textarea'; name: string; label: string }
  | { kind: 'select'; name: string; label: string; options: Options }
  | { kind: 'checkbox'; name: string; label: string }
  | { kind: 'checkboxes'; name: string; label: string; options: Options };

/** The request a submitted form describes: each field's value at its dotted path; blank fields are left out. */
export function readForm(spec: FormField[], body: unknown, timeZone: string): Record<string, unknown> {
  const request: Record<string, unknown> = {};
  for (const f of spec) {
    const value =
      f.kind === 'checkbox'
        ? checked(body, f.name)
        : f.kind === 'checkboxes'
          ? fields(body, f.name)
          : f.kind === 'datetime'
            ? localToInstant(field(body, f.name), timeZone)
            : field(body, f.name);
    if (value !== undefined) setPath(request, f.name, value);
  }
  return request;
}

function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[keys.at(-1)!] = value;
}

/** The fields drawn with what was typed (after a refusal) and each one's error beside it. */
export function drawFields(spec: FormField[], values: FormBody = {}, errors: Record<string, string> = {}): Html {
  return html`${spec.map((f) => drawField(f, values, errors))}`;
}

function drawField(f: FormField, values: FormBody, errors: Record<string, string>): Html {
  const id = f.name.replace(/\./g, '-');
  const typed = values[f.name];
  const one = Array.isArray(typed) ? (typed[0] ?? '') : (typed ?? '');
  const label = html`<label class="usa-label" for="${id}">${f.label}${fieldError(errors, f.name)}</label>`;
  const described = errors[f.name] ? html`aria-describedby="${f.name}-error"` : html``;
  switch (f.kind) {
    case 'select':
      return html`${label}<select class="usa-select" id="${id}" name="${f.name}" ${described}>
          <option value="">Choose…</option>
          ${f.options.map(
            ([value, shown]) => html`<option value="${value}" ${one === value ? html`selected` : ''}>${shown}</option>`,
          )}
        </select>`;
    case 'textarea':
      return html`${label}<textarea class="usa-textarea" id="${id}" name="${f.name}" rows="3" ${described}>
${one}</textarea>`;
    case 'checkbox':
      return html`<div class="usa-checkbox">
        <input
          class="usa-checkbox__input"
          type="checkbox"
          id="${id}"
          name="${f.name}"
          value="on"
          ${typed ? html`checked` : ''}
        />
        <label class="usa-checkbox__label" for="${id}">${f.label}${fieldError(errors, f.name)}</label>
      </div>`;
    case 'checkboxes': {
      const ticked = Array.isArray(typed) ? typed : typed ? [typed] : [];
      return html`<fieldset class="usa-fieldset">
        <legend class="usa-legend">${f.label}${fieldError(errors, f.name)}</legend>
        ${f.options.map(
          ([value, shown], i) =>
            html`<div class="usa-checkbox">
              <input
                class="usa-checkbox__input"
                type="checkbox"
                id="${id}-${i}"
                name="${f.name}"
                value="${value}"
                ${ticked.includes(value) ? html`checked` : ''}
              />
              <label class="usa-checkbox__label" for="${id}-${i}">${shown}</label>
            </div>`,
        )}
      </fieldset>`;
    }
    default: {
      const type = f.kind === 'datetime' ? 'datetime-local' : f.kind;
      return html`${label}<input
          class="usa-input"
          id="${id}"
          name="${f.name}"
          type="${type}"
          value="${one}"
          ${described}
        />`;
    }
  }
}
