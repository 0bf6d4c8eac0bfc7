/**
 * A member's accounting of disclosures for staff: the page (look up a member id, print the
 * letter), the PDF letter, and the JSON API. The member id travels in the query string, which
 * the request log leaves out (web/app.ts logs the route only).
 */
import type { FastifyInstance } from 'fastify';
import { localTime, type DisclosureAccounting } from '../client/disclosure-accounting';
import { renderAccountingLetter } from '../client/disclosure-letter';
import type { WebContext } from './context';
import { sendProblem } from './errors';
import { sendLookupPage } from './lookup-page';
import { fieldError, html, type Html } from './html';
import { guard } from './staff-auth';

type Query = Record<string, string | undefined>;

export function disclosureRoutes(app: FastifyInstance, ctx: WebContext): void {
  const now = () => ctx.now?.() ?? new Date();
  const request = (q: Query) => ({ memberId: q.memberId, from: q.from || undefined, to: q.to || undefined });

  app.get('/api/disclosures', async (req, reply) => {
    if (!(await guard(ctx.sessions, req, reply, 'read', 'api'))) return reply;
    try {
      return await ctx.accountings.read(request(req.query as Query), now());
    } catch (err) {
      return sendProblem(reply, err);
    }
  });

  app.get('/disclosures.pdf', async (req, reply) => {
    if (!(await guard(ctx.sessions, req, reply, 'read', 'page'))) return reply;
    try {
      const accounting = await ctx.accountings.read(request(req.query as Query), now());
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="disclosures-${accounting.from}-${accounting.to}.pdf"`)
        .send(await renderAccountingLetter(accounting, now()));
    } catch (err) {
      return sendProblem(reply, err);
    }
  });

  app.get('/disclosures', async (req, reply) => {
    const q = req.query as Query;
    return sendLookupPage(ctx, req, reply, {
      permission: 'read',
      title: 'Accounting of disclosures',
      asked: q.memberId !== undefined,
      form: (errors) => lookupForm(q, errors),
      answer: async () => accountingTable(await ctx.accountings.read(request(q), now())),
    });
  });
}

function lookupForm(q: Query, errors: Record<string, string>): Html {
  return html`<form method="get" action="/disclosures">
    <label class="usa-label" for="memberId">Member id${fieldError(errors, 'memberId')}</label>
    <input class="usa-input" id="memberId" name="memberId" value="${q.memberId ?? ''}" required />
    <label class="usa-label" for="from">From (first day; empty: six years back)${fieldError(errors, 'from')}</label>
    <input class="usa-input" id="from" name="from" type="date" value="${q.from ?? ''}" />
    <label class="usa-label" for="to">To (last day, included; empty: today)${fieldError(errors, 'to')}</label>
    <input class="usa-input" id="to" name="to" type="date" value="${q.to ?? ''}" />
    <p><button class="usa-button">Show disclosures</button></p>
  </form>`;
}

function accountingTable(a: DisclosureAccounting): Html {
  const letter = `/disclosures.pdf?${new URLSearchParams({ memberId: a.memberId, from: a.from, to: a.to })}`;
  return html`<h2>Member ${a.memberId}: ${a.from} to ${a.to}</h2>
    <p><a href="${letter}">Letter for the member (PDF)</a></p>
    ${
      a.disclosures.length === 0
        ? html`<p>No disclosures are on record for this period.</p>`
        : html`<table class="usa-table">
            <thead>
              <tr>
                <th>When (${a.timeZone})</th>
                <th>Recipient</th>
                <th>What</th>
                <th>Why</th>
                <th>Consent</th>
                <th>Referral</th>
              </tr>
            </thead>
            <tbody>
              ${a.disclosures.map(
                (d) =>
                  html`<tr>
                    <td>${localTime(d.disclosedAt, a.timeZone)}</td>
                    <td>${d.recipient}</td>
                    <td>${d.categories.join(', ')}</td>
                    <td>${d.purpose}</td>
                    <td>${d.consentId ?? '—'}</td>
                    <td>
                      ${d.referralId.startsWith('R-') ? html`<a href="/transfers/${d.referralId}">${d.referralId}</a>` : d.referralId}
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }`;
}
