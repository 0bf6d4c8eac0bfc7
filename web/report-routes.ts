/**
 * Reports for managers (docs/reports.md): the page (pick a report and a period, read the table,
 * download CSV or XLSX) and the JSON API, which also serves the files. Ids only: no member
 * information is in the reporting store.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { CONTENT_TYPES, reportFile, reportFileName } from '../client/reports/report-formats';
import { GROUPINGS, REPORT_NAMES, ReportName } from '../client/reports/report-request';
import type { Cell, ReportTable } from '../client/reports/report-table';
import { InvalidInputError } from '../client/service-errors';
import type { WebContext } from './context';
import { sendProblem } from './errors';
import { sendLookupPage } from './lookup-page';
import { fieldError, html, type Html } from './html';
import { guard } from './staff-auth';

type Query = Record<string, string | undefined>;

const FILTERS = ['from', 'to', 'by', 'program', 'provider', 'caseManager'] as const;

/** The report request from a query string; empty fields are left out. */
const requestOf = (q: Query) => Object.fromEntries(FILTERS.flatMap((k) => (q[k] ? [[k, q[k]]] : [])));

function reportName(value: string | undefined): ReportName {
  const name = ReportName.safeParse(value);
  if (!name.success) throw new InvalidInputError([{ field: 'name', message: `one of ${REPORT_NAMES.join(', ')}` }]);
  return name.data;
}

export function reportRoutes(app: FastifyInstance, ctx: WebContext): void {
  app.get('/api/reports/:name', async (req, reply) => {
    if (!(await guard(ctx.sessions, req, reply, 'report', 'api'))) return reply;
    const q = req.query as Query;
    try {
      const format = q.format ?? 'json';
      if (format !== 'json' && format !== 'csv' && format !== 'xlsx')
        throw new InvalidInputError([{ field: 'format', message: 'one of json, csv, xlsx' }]);
      const table = await ctx.reports.run(reportName((req.params as { name: string }).name), requestOf(q));
      if (format === 'json') return table;
      return sendFile(reply, table, format);
    } catch (err) {
      return sendProblem(reply, err);
    }
  });

  app.get('/reports', async (req, reply) => {
    const q = req.query as Query;
    return sendLookupPage(ctx, req, reply, {
      permission: 'report',
      title: 'Reports',
      asked: q.name !== undefined,
      form: (errors) => reportForm(ctx, q, errors),
      answer: async () => tableOf(await ctx.reports.run(reportName(q.name), requestOf(q)), q),
    });
  });
}

function sendFile(reply: FastifyReply, table: ReportTable, format: 'csv' | 'xlsx'): Promise<FastifyReply> {
  return reportFile(table, format).then((bytes) =>
    reply
      .type(CONTENT_TYPES[format])
      .header('content-disposition', `attachment; filename="${reportFileName(table, format)}"`)
      .send(bytes),
  );
}

/** A labelled select; `any` is the empty choice's label, when the field may be left out. */
function select(
  field: string,
  label: string,
  values: { id: string; label: string }[],
  q: Query,
  errors: Record<string, string>,
  any?: string,
): Html {
  return html`<label class="usa-label" for="${field}">${label}${fieldError(errors, field)}</label>
    <select class="usa-select" id="${field}" name="${field}">
      ${any ? html`<option value="">${any}</option>` : html``}
      ${values.map((v) => html`<option value="${v.id}" ${v.id === q[field] ? html`selected` : html``}>${v.label}</option>`)}
    </select>`;
}

function reportForm(ctx: WebContext, q: Query, errors: Record<string, string>): Html {
  const ids = (xs: readonly string[]) => xs.map((x) => ({ id: x, label: x }));
  const named = (xs: { id: string; name: string }[]) => xs.map((x) => ({ id: x.id, label: x.name }));
  return html`<form method="get" action="/reports">
    ${select('name', 'Report', ids(REPORT_NAMES), q, errors)}
    <label class="usa-label" for="from">From (first day)${fieldError(errors, 'from')}</label>
    <input class="usa-input" id="from" name="from" type="date" value="${q.from ?? ''}" required />
    <label class="usa-label" for="to">To (last day, included)${fieldError(errors, 'to')}</label>
    <input class="usa-input" id="to" name="to" type="date" value="${q.to ?? ''}" required />
    ${select('by', 'One group per', ids(Object.keys(GROUPINGS)), q, errors, '(all together)')}
    ${select('program', 'Sending program', named(ctx.directory.programs), q, errors, '(any)')}
    ${select('provider', 'Receiving provider', named(ctx.directory.providers), q, errors, '(any)')}
    ${select('caseManager', 'Case manager', named(ctx.directory.programs.flatMap((p) => p.caseManagers)), q, errors, '(any)')}
    <p><button class="usa-button">Show report</button></p>
  </form>`;
}

/** A referral id opens its transfer; other cells show as they are (— for none). */
function cellOf(key: string, c: Cell): Html {
  if (c === null) return html`<td>—</td>`;
  if (key === 'referralId') return html`<td><a href="/transfers/${String(c)}">${String(c)}</a></td>`;
  return html`<td>${String(c)}</td>`;
}

function tableOf(t: ReportTable, q: Query): Html {
  const file = (format: string) => `/api/reports/${t.name}?${new URLSearchParams({ ...requestOf(q), format })}`;
  return html`<h2>${t.title}: ${t.from} to ${t.to}</h2>
    <p><a href="${file('csv')}">Download CSV</a> · <a href="${file('xlsx')}">Download XLSX</a></p>
    ${
      t.rows.length === 0
        ? html`<p>No referrals started in this period.</p>`
        : html`<div class="wide">
            <table class="usa-table">
              <thead>
                <tr>
                  ${t.columns.map((c) => html`<th scope="col">${c.label}</th>`)}
                </tr>
              </thead>
              <tbody>
                ${t.rows.map(
                  (r) =>
                    html`<tr>
                      ${r.map((c, i) => cellOf(t.columns[i]!.key, c))}
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`
    }`;
}
