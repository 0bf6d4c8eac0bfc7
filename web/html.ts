/**
 * Server-rendered HTML without a template engine: `html` escapes every interpolated value unless
 * it is already `Html` (built by `html` itself), so member data can never become markup.
 */
import type { StaffUser } from './accounts';
import { may } from './roles';
import { USWDS_STYLESHEET } from './assets';

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

type Part = Html | string | number | boolean | null | undefined | Part[];

function render(p: Part): string {
  if (p === null || p === undefined || p === false) return '';
  if (Array.isArray(p)) return p.map(render).join('');
  if (p instanceof Html) return p.value;
  return escapeHtml(String(p));
}

export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  return new Html(strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]) : ''), ''));
}

export interface PageChrome {
  title: string;
  /** Shown in the header with a sign-out button (and its CSRF token) when someone is signed in. */
  user?: StaffUser & { csrf: string };
}

export function page(chrome: PageChrome, body: Html): string {
  const link = (href: string, label: string) =>
    html`<li class="usa-nav__primary-item"><a class="usa-nav-link" href="${href}">${label}</a></li>`;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${chrome.title} · Referrals</title>
        <link rel="stylesheet" href="${USWDS_STYLESHEET}" />
        <style>
          /* USWDS hides .usa-nav on small screens until its script opens the menu; these pages run no
             script, so the links stay in view and wrap. */
          .referrals-nav {
            display: flex;
            flex-wrap: wrap;
            align-items: center;
            gap: 0.5rem 1.5rem;
            padding: 0.5rem 0;
          }
          /* Facts as a two-column list; choices one to a line; each action set apart. */
          main dl {
            display: grid;
            grid-template-columns: max-content 1fr;
            gap: 0.25rem 1.5rem;
          }
          main dt {
            font-weight: 700;
          }
          main dd {
            margin: 0;
          }
          main label:has(> input[type='checkbox']),
          main label:has(> input[type='radio']) {
            display: block;
            margin-top: 0.5rem;
          }
          main form .usa-fieldset {
            margin-top: 1.5rem;
            border-top: 1px solid #dfe1e2;
            padding-top: 0.5rem;
          }
          .referrals-nav ul {
            display: flex;
            flex-wrap: wrap;
            gap: 0 1rem;
            margin: 0;
            padding: 0;
            list-style: none;
          }
        </style>
      </head>
      <body>
        <a class="usa-skipnav" href="#main-content">Skip to main content</a>
        <header class="usa-header usa-header--basic border-bottom-1px border-base-lighter">
          <div class="grid-container referrals-nav">
            <div class="usa-logo margin-y-1"><em class="usa-logo__text">Referrals</em></div>
            ${
              chrome.user
                ? html`<nav aria-label="Primary navigation" class="flex-fill">
                      <ul>
                        ${link('/transfers', 'Transfers')}${link('/transfers/new', 'Start a referral')}${link(
                          '/clocks',
                          'Clocks',
                        )}${link('/disclosures', 'Disclosures')}${
                          may(chrome.user, 'report')
                            ? html`${link('/dashboard', 'Dashboard')}${link('/reports', 'Reports')}`
                            : ''
                        }${may(chrome.user, 'access') ? link('/access', 'Access') : ''}
                      </ul>
                    </nav>
                    <span>${chrome.user.id} (${chrome.user.role})</span>
                    <form method="post" action="/sign-out" class="margin-0">
                      <input type="hidden" name="_csrf" value="${chrome.user.csrf}" /><button
                        class="usa-button usa-button--outline margin-0"
                      >
                        Sign out
                      </button>
                    </form>`
                : ''
            }
          </div>
        </header>
        <main id="main-content" class="grid-container padding-bottom-4">
          <h1>${chrome.title}</h1>
          ${body}
        </main>
      </body>
    </html>`.value;
}

/** A USWDS alert: what went wrong (read out at once), or what was done. */
export function alert(kind: 'error' | 'success', body: Html | string, id?: string): Html {
  return html`<div
    class="usa-alert usa-alert--${kind} usa-alert--slim margin-y-2"
    role="${kind === 'error' ? 'alert' : 'status'}"
    ${id ? html`id="${id}"` : ''}
  >
    <div class="usa-alert__body"><div class="usa-alert__text">${body}</div></div>
  </div>`;
}

/** A form field's error, shown beside it. */
export const fieldError = (errors: Record<string, string>, field: string): Html =>
  errors[field] ? html` <span class="usa-error-message" id="${field}-error">${errors[field]}</span>` : html``;
