/**
 * Issue 23's figures: 2,000 transfers with known timings in the reporting store (PostgreSQL), and
 * every figure of the timeliness, linkage and tracking reports checked against what was made,
 * computed here without the report code. CSV and XLSX read back to the same cells.
 */
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { InvalidInputError } from '../../client/service-errors';
import { reportFile } from '../../client/reports/report-formats';
import { runReport } from '../../client/reports/reports';
import type { ReportName } from '../../client/reports/report-request';
import type { Cell } from '../../client/reports/report-table';
import { reportRecordOf } from '../../domain/report-record';
import { REFERRAL_STAGES, Outcome } from '../../domain/stages';
import type { AppDb } from '../../infra/app-db/open-app-db';
import { ReportStore } from '../../infra/app-db/report-store';
import { loadDirectory } from '../../infra/config-files';
import { SYNTHETIC_CALENDAR, syntheticTransfers, type SyntheticTruth } from '../../tools/reports/synthetic-transfers';
import { openTestDb } from '../support/app-db';
import { syntheticClocks } from '../../tools/reports/synthetic-clocks';
import { CLOCK_KINDS } from '../../domain/clocks/kinds';
import { ROOT } from '../support/referrals-cli';

jest.setTimeout(120_000);

const TRANSFERS = syntheticTransfers(2000);
const CLOCKS = syntheticClocks(600);
const directory = loadDirectory(`${ROOT}/config/directory.json`);
const timeZone = SYNTHETIC_CALENDAR.timeZone;
const YEAR = { from: '2026-01-01', to: '2026-12-31' };

let db: AppDb;
let drop: () => Promise<void>;
let store: ReportStore;
beforeAll(async () => {
  ({ db, drop } = await openTestDb());
  store = new ReportStore(db);
  for (const t of TRANSFERS) await store.save(reportRecordOf(t.state, t.facts, SYNTHETIC_CALENDAR), 'seeded');
  for (const c of CLOCKS) await store.saveClock(c.record, 'seeded');
});
afterAll(() => drop());

const run = (name: ReportName, input: Record<string, string>) => runReport(name, input, { store, directory, timeZone });

// The expected figures, from the truth the transfers were made from.
const nearestRank = (values: number[], q: number): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(q * sorted.length) - 1]!;
};
const share = (part: number, whole: number) => (whole === 0 ? null : Math.round((1000 * part) / whole) / 10);
const truths = (keep: (t: SyntheticTruth) => boolean = () => true) => TRANSFERS.map((t) => t.truth).filter(keep);

function expectedTimeliness(group: string, ts: SyntheticTruth[]): Cell[][] {
  const stages = REFERRAL_STAGES.map((stage) => {
    const done = ts.flatMap((t) => t.completed.filter((c) => c.stage === stage));
    const days = done.map((c) => c.days);
    const met = done.filter((c) => c.met).length;
    return [
      group,
      stage,
      done.length,
      nearestRank(days, 0.5),
      nearestRank(days, 0.9),
      done.length,
      met,
      share(met, done.length),
    ];
  });
  const appointments = (['routine', 'urgent'] as const).map((urgency) => {
    const offered = ts.filter((t) => t.urgency === urgency && t.appointment);
    const days = offered.map((t) => t.appointment!.days);
    const within = offered.filter((t) => t.appointment!.days <= t.appointment!.standardDays).length;
    return [
      group,
      `first offered appointment (${urgency})`,
      offered.length,
      nearestRank(days, 0.5),
      nearestRank(days, 0.9),
      offered.length,
      within,
      share(within, offered.length),
    ];
  });
  return [...stages, ...appointments];
}

function expectedLinkage(group: string, ts: SyntheticTruth[]): Cell[] {
  const ended = ts.filter((t) => t.outcome !== null);
  const count = (o: string) => ended.filter((t) => t.outcome === o).length;
  return [
    group,
    ts.length,
    ts.length - ended.length,
    ...Outcome.options.map(count),
    share(count('linked'), ended.length),
    ts.reduce((n, t) => n + t.noShows, 0),
    ts.reduce((n, t) => n + t.reschedules, 0),
    0,
  ];
}

test('timeliness: per stage, the median and 90th percentile in business days and the share within the deadline; first appointments against the standard', async () => {
  const all = await run('timeliness', YEAR);
  expect(all.rows).toEqual(expectedTimeliness('all', truths()));
  // Enough of each kind that the figures mean something.
  expect(all.rows[0]![2]).toBeGreaterThan(1900); // all but those still informing the member
  expect((all.rows.at(-1)![2] as number) > 100).toBe(true);

  const byProvider = await run('timeliness', { ...YEAR, by: 'provider' });
  const providers = [...new Set(truths().map((t) => t.receivingProvider))].sort();
  expect(byProvider.rows).toEqual(
    providers.flatMap((p) =>
      expectedTimeliness(
        p,
        truths((t) => t.receivingProvider === p),
      ),
    ),
  );
});

test('linkage: outcomes, open transfers, linked of ended, no-shows and reschedules, by case manager and for one program in one month', async () => {
  const byCaseManager = await run('linkage', { ...YEAR, by: 'case-manager' });
  const managers = [...new Set(truths().map((t) => t.caseManager))].sort();
  expect(byCaseManager.rows).toEqual(
    managers.map((m) =>
      expectedLinkage(
        m,
        truths((t) => t.caseManager === m),
      ),
    ),
  );

  const february = await run('linkage', { from: '2026-02-01', to: '2026-02-28', program: 'santa-rosa-mh-clinic' });
  const inFebruary = truths(
    (t) => t.startDay >= '2026-02-01' && t.startDay <= '2026-02-28' && t.sendingProgram === 'santa-rosa-mh-clinic',
  );
  expect(inFebruary.length).toBeGreaterThan(50);
  expect(february.rows).toEqual([expectedLinkage('all', inFebruary)]);
});

test('the partner scorecard: acknowledgement, appointments within the standard, the ladder reached on what partners owed, and the referrals behind the misses', async () => {
  const card = await run('scorecard', YEAR);
  const inOrder = [...TRANSFERS]
    .sort(
      (a, b) =>
        a.facts.startedAt.localeCompare(b.facts.startedAt) || a.truth.referralId.localeCompare(b.truth.referralId),
    )
    .map((t) => t.truth);
  const providers = [...new Set(inOrder.map((t) => t.receivingProvider))].sort();
  const expected = providers.map((provider) => {
    const ts = inOrder.filter((t) => t.receivingProvider === provider);
    const sent = ts.filter((t) => t.completed.some((c) => c.stage === 'send-packet'));
    const ackDays = sent.map((t) => t.acknowledgementDays!);
    const offered = ts.filter((t) => t.appointment);
    const outside = offered.filter((t) => t.appointment!.days > t.appointment!.standardDays);
    const owed = (t: SyntheticTruth) =>
      Math.max(0, ...t.visited.filter((v) => v.waitingOn === 'partner').map((v) => v.escalation));
    const reached = (level: number) => ts.filter((t) => owed(t) >= level);
    return [
      provider,
      sent.length,
      sent.length,
      nearestRank(ackDays, 0.5),
      nearestRank(ackDays, 0.9),
      offered.length,
      offered.length - outside.length,
      share(offered.length - outside.length, offered.length),
      ts.filter((t) => t.outcome === 'partner-declined').length,
      reached(1).length,
      reached(2).length,
      reached(3).length,
      outside.map((t) => t.referralId).join(' '),
      reached(3)
        .map((t) => t.referralId)
        .join(' '),
    ];
  });
  expect(card.rows).toEqual(expected);
  expect(card.rows.every((r) => (r[11] as number) > 0)).toBe(true);
});

test('the tracking export has one row per referral started in the period, in the order they started, with its dates as county days', async () => {
  const march = await run('tracking', { from: '2026-03-01', to: '2026-03-31' });
  const expected = TRANSFERS.filter((t) => t.truth.startDay >= '2026-03-01' && t.truth.startDay <= '2026-03-31')
    .sort(
      (a, b) =>
        a.facts.startedAt.localeCompare(b.facts.startedAt) || a.truth.referralId.localeCompare(b.truth.referralId),
    )
    .map((t) => t.truth);
  const col = (key: string) => march.columns.findIndex((c) => c.key === key);
  expect(march.rows.map((r) => r[col('referralId')])).toEqual(expected.map((t) => t.referralId));
  expect(march.rows.map((r) => r[col('started')])).toEqual(expected.map((t) => t.startDay));
  expect(march.rows.map((r) => r[col('outcome')])).toEqual(expected.map((t) => t.outcome));
  expect(march.rows.map((r) => r[col('withinStandard')])).toEqual(
    expected.map((t) => (t.appointment ? (t.appointment.days <= t.appointment.standardDays ? 'yes' : 'no') : null)),
  );
  expect(march.rows.map((r) => r[col('highestEscalation')])).toEqual(expected.map((t) => t.highestEscalation));
});

test('the monitoring checklist answers each seed 003 II item per transfer and lists what is missing', async () => {
  const march = await run('checklist', { from: '2026-03-01', to: '2026-03-31' });
  const inMarch = [...TRANSFERS]
    .filter((t) => t.truth.startDay >= '2026-03-01' && t.truth.startDay <= '2026-03-31')
    .sort(
      (a, b) =>
        a.facts.startedAt.localeCompare(b.facts.startedAt) || a.truth.referralId.localeCompare(b.truth.referralId),
    )
    .map((t) => t.truth);
  const labels = [
    'Coordinated care consent',
    'Release of information',
    'Member told whom to contact',
    'Coordination between settings',
    'Timely transition',
    'Follow-up after discharge',
  ];
  const expected = inMarch.map((t) => {
    const open = t.outcome === null;
    const answer = (done: boolean) => (done ? 'yes' : open ? 'not yet' : 'no');
    const declined = t.outcome === 'consent-declined';
    const packetSent = t.done.has('send-packet');
    const items = [
      !t.consentNeeded ? 'not needed' : declined ? 'declined' : answer(t.consentRecorded),
      packetSent && !t.consentRecorded ? 'not needed' : declined ? 'declined' : answer(packetSent),
      answer(t.done.has('inform-member')),
      answer(packetSent && t.done.has('warm-handoff')),
      t.appointment ? (t.appointment.days <= t.appointment.standardDays ? 'yes' : 'no') : open ? 'not yet' : 'no',
      answer(t.outcome === 'linked'),
    ];
    const missing = labels.filter((_, i) => items[i] === 'no').join('; ');
    return [t.referralId, t.outcome ?? 'open', ...items, missing];
  });
  expect(march.rows).toEqual(expected);
  // Each answer occurs, so the comparison covers every branch.
  for (const a of ['yes', 'no', 'not yet', 'not needed', 'declined']) expect(march.rows.flat()).toContain(a);
});

test('the coordination clocks: obligations met on time, late, missed and not yet due, by kind, for one program', async () => {
  const report = await run('clocks', { ...YEAR, program: 'santa-rosa-mh-clinic' });
  const mine = CLOCKS.map((c) => c.truth).filter((t) => t.sendingProgram === 'santa-rosa-mh-clinic');
  expect(report.rows).toEqual(
    CLOCK_KINDS.map((kind) => {
      const these = mine.filter((t) => t.kind === kind);
      const all = these.flatMap((t) => t.results);
      const count = (r: string) => all.filter((x) => x === r).length;
      const due = all.length - count('notYetDue');
      return [
        kind,
        these.length,
        all.length,
        count('onTime'),
        count('late'),
        count('missed'),
        count('notYetDue'),
        share(count('onTime'), due),
      ];
    }),
  );
  for (const column of [3, 4, 5, 6]) expect(report.rows.some((r) => (r[column] as number) > 0)).toBe(true);
});

test('bad input names the field and reads nothing', async () => {
  const problems = async (input: Record<string, string>) => {
    const err = await run('linkage', input).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInputError);
    return (err as InvalidInputError).problems.map((p) => p.field);
  };
  expect(await problems({ from: '2026-03-01', to: '2026-02-01' })).toEqual(['to']);
  expect(await problems({ ...YEAR, program: 'no-such-program' })).toEqual(['program']);
  expect(await problems({ ...YEAR, caseManager: 'cm-nobody' })).toEqual(['caseManager']);
  expect(await problems({ ...YEAR, by: 'member' })).toEqual(['by']);
  expect(await problems({ from: '2026-02-30', to: '2026-03-01' })).toEqual(['from']);
});

test('the XLSX holds the same numbers as the CSV, and both the report', async () => {
  const table = await run('timeliness', { ...YEAR, by: 'program' });
  const xlsx = new ExcelJS.Workbook();
  await xlsx.xlsx.load((await reportFile(table, 'xlsx')) as never);
  const fromXlsx = xlsx.worksheets[0]!.getSheetValues().slice(2) as Cell[][];
  const csv = new ExcelJS.Workbook();
  const sheet = await csv.csv.read(Readable.from(await reportFile(table, 'csv')));
  const fromCsv = sheet.getSheetValues().slice(2) as Cell[][];
  // exceljs rows start at column 1; empty cells read back as undefined.
  const cells = (rows: Cell[][]) =>
    rows.map((r) => Array.from({ length: table.columns.length }, (_, i) => r[i + 1] ?? null));
  expect(cells(fromXlsx)).toEqual(table.rows);
  expect(cells(fromCsv)).toEqual(table.rows);
});
