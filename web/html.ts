/**
 * Server-rendered HTML without a template engine: `html` escapes every interpolated value unless
 * it is already `Html` (built by `html` itself), so member data can never become markup.
 */
import type { StaffUser } from './accounts';
import { may } from './roles';

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
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${chrome.title} · Referrals</title>
        <style>
          body {
            font:
              15px/1.45 system-ui,
              sans-serif;
            margin: 0 auto;
            max-width: 60rem;
            padding: 1rem;
            color: #1b1b1b;
          }
          header {
            display: flex;
            gap: 1rem;
            align-items: center;
            border-bottom: 1px solid #ccc;
            margin-bottom: 1rem;
          }
          header nav {
            flex: 1;
            display: flex;
            gap: 1rem;
          }
          label {
            display: block;
            margin: 0.5rem 0 0.1rem;
            font-weight: 600;
          }
          .error {
            color: #a00000;
            font-weight: 400;
          }
          .notice {
            background: #eef6ee;
            border: 1px solid #9c9;
            padding: 0.5rem;
          }
          .problem {
            background: #fbeaea;
            border: 1px solid #c99;
            padding: 0.5rem;
          }
          table {
            border-collapse: collapse;
            width: 100%;
          }
          .wide {
            overflow-x: auto;
          }
          td,
          th {
            border-bottom: 1px solid #ddd;
            padding: 0.25rem;
            text-align: left;
          }
          fieldset {
            margin: 1rem 0;
          }
        </style>
      </head>
      <body>
        <header>
          <strong>Referrals</strong>${
            chrome.user
              ? html`<nav>
                    <a href="/transfers">Transfers</a><a href="/transfers/new">Start a referral</a
                    ><a href="/disclosures">Disclosures</a>${
                      may(chrome.user, 'report')
                        ? html`<a href="/dashboard">Dashboard</a><a href="/reports">Reports</a>`
                        : html``
                    }${may(chrome.user, 'access') ? html`<a href="/access">Access</a>` : html``}
                  </nav>
                  <span>${chrome.user.id} (${chrome.user.role})</span>
                  <form method="post" action="/sign-out">
                    <input type="hidden" name="_csrf" value="${chrome.user.csrf}" /><button>Sign out</button>
                  </form>`
              : html`<nav></nav>`
          }
        </header>
        <main>
          <h1>${chrome.title}</h1>
          ${body}
        </main>
      </body>
    </html>`.value;
}

/** A form field's error, shown beside it. */
export const fieldError = (errors: Record<string, string>, field: string): Html =>
  errors[field] ? html` <span class="error" id="${field}-error">${errors[field]}</span>` : html``;
