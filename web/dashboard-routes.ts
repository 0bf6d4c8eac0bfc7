/**
 * The manager dashboard (docs/reports.md): open transfers by stage and whom they wait on, stuck
 * transfers by provider, the linkage rate by month and the days to a first appointment. Ids and
 * counts only.
 */
import type { FastifyInstance } from 'fastify';
import type { Dashboard } from '../client/reports/dashboard';
import { barChart, type ChartSeries } from './charts';
import type { WebContext } from './context';
import { html, page, type Html } from './html';
import { guard } from './staff-auth';

const WAITING_ON_SERIES: ChartSeries[] = [
  { key: 'case-manager', label: 'case manager', color: '#005ea2' },
  { key: 'member', label: 'member', color: '#e5a000' },
  { key: 'partner', label: 'partner', color: '#d83933' },
  { key: 'managed-care-plan', label: 'plan', color: '#8168b3' },
  { key: 'none', label: 'nobody', color: '#71767a' },
];
const ONE = (label: string, color = '#005ea2'): ChartSeries[] => [{ key: label, label, color }];

export function dashboardRoutes(app: FastifyInstance, ctx: WebContext): void {
  app.get('/api/dashboard', async (req, reply) => {
    if (!(await guard(ctx.sessions, req, reply, 'report', 'api'))) return reply;
    return ctx.reports.dashboard(ctx.now?.() ?? new Date());
  });

  app.get('/dashboard', async (req, reply) => {
    const user = await guard(ctx.sessions, req, reply, 'report', 'page');
    if (!user) return reply;
    const d = await ctx.reports.dashboard(ctx.now?.() ?? new Date());
    const chrome = ctx.sessions.chrome(reply, user, 'Dashboard');
    return reply.type('text/html').send(page(chrome, dashboardBody(d)));
  });
}

function dashboardBody(d: Dashboard): Html {
  return html`<p>
      Open and stuck transfers as of now; linkage and first appointments for transfers started from ${d.from} to
      ${d.to}. Details in <a href="/reports">Reports</a>.
    </p>
    ${barChart(
      'Open transfers by stage, by whom they wait on',
      WAITING_ON_SERIES,
      d.openByStage.map((s) => ({ label: s.stage, values: WAITING_ON_SERIES.map((w) => s.byWaitingOn[w.key] ?? 0) })),
    )}
    ${
      d.stuckByProvider.length === 0
        ? html`<p><strong>Stuck transfers by provider:</strong> none past their stage deadline.</p>`
        : barChart(
            'Stuck transfers by provider (past their stage deadline)',
            ONE('stuck', '#d83933'),
            d.stuckByProvider.map((s) => ({ label: s.provider, values: [s.count] })),
          )
    }
    ${barChart(
      'Linked of ended transfers, by the month they started (%)',
      ONE('linked %', '#00a91c'),
      d.linkageByMonth.map((m) => ({
        label: m.month,
        values: [m.linkedPercent ?? 0],
        note: m.ended === 0 ? 'none ended' : `${m.linkedPercent}% (${m.linked} of ${m.ended})`,
      })),
    )}
    ${barChart(
      'Business days from the packet sent to the first offered appointment',
      ONE('transfers'),
      d.daysToFirstAppointment.map((b) => ({ label: `${b.days} days`, values: [b.count] })),
    )}`;
}
