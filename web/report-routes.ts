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
    if (!guard(ctx.sessions, req, reply, 'report', 'api')) return reply;
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

function reportForm(ctx: WebContext, q: Query, errors: Record<string, string>): Html {
  const options = (values: { id: string; label: string }[], selected: string | undefined) =>
    values.map((v) => html`<option value="${v.id}" ${v.id === selected ? html`selected` : html``}>${v.label}</option>`);
  const caseManagers = ctx.directory.programs.flatMap((p) => p.caseManagers.map((c) => ({ id: c.id, label: c.name })));
  return html`<form method="get" action="/reports">
    <label for="name">Report${fieldError(errors, 'name')}</label>
    <select id="name" name="name">
      ${options(
        REPORT_NAMES.map((n) => ({ id: n, label: n })),
        q.name,
      )}
    </select>
    <label for="from">From (first day)${fieldError(errors, 'from')}</label>
    <input id="from" name="from" type="date" value="${q.from ?? ''}" required />
    <label for="to">To (last day, included)${fieldError(errors, 'to')}</label>
    <input id="to" name="to" type="date" value="${q.to ?? ''}" required />
    <label for="by">One group per${fieldError(errors, 'by')}</label>
    <select id="by" name="by">
      <option value="">(all together)</option>
      ${options(
        Object.keys(GROUPINGS).map((g) => ({ id: g, label: g })),
        q.by,
      )}
    </select>
    <label for="program">Sending program${fieldError(errors, 'program')}</label>
    <select id="program" name="program">
      <option value="">(any)</option>
      ${options(
        ctx.directory.programs.map((p) => ({ id: p.id, label: p.name })),
        q.program,
      )}
    </select>
    <label for="provider">Receiving provider${fieldError(errors, 'provider')}</label>
    <select id="provider" name="provider">
      <option value="">(any)</option>
      ${options(
        ctx.directory.providers.map((p) => ({ id: p.id, label: p.name })),
        q.provider,
      )}
    </select>
    <label for="caseManager">Case manager${fieldError(errors, 'caseManager')}</label>
    <select id="caseManager" name="caseManager">
      <option value="">(any)</option>
      ${options(caseManagers, q.caseManager)}
    </select>
    <p><button>Show report</button></p>
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
            <table>
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
