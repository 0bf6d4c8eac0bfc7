/**
 * Drafts ride with the notice that follows an action (workflows/note-drafts.ts). An EHR that
 * never answers must not hold the notice back: after one short wait the notice goes out and the
 * drafts come back to the workflow, to be filed by an activity of their own.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createActivities } from '../../activities';
import { FileDisclosureLog } from '../../activities/disclosure-log';
import { FixtureEhr, type EhrAdapter } from '../../activities/ehr-adapter';
import { LocalOutbox } from '../../activities/outbox';
import type { CoordinationAction } from '../../domain/progress-note';
import { loadDirectory } from '../../infra/config-files';
import { escalation } from '../support/channel-activities';
import { CalendarSettings } from '../../domain/policy';

const ROOT = path.resolve(__dirname, '../..');

function draft(n: number): CoordinationAction {
  return {
    key: `R-7K3M9Q2XWD/note-${n}`,
    subjectId: 'R-7K3M9Q2XWD',
    memberId: 'M-100234',
    programId: 'north-county-residential',
    authorId: 'cm-alvarez',
    action: 'member informed of referral',
    narrative: 'Informed the member.',
    followUp: 'Obtain consent.',
    at: '2026-11-20T17:00:00.000Z',
  };
}

function activitiesWith(ehr: EhrAdapter, dataDir: string) {
  return createActivities({
    directory: loadDirectory(path.join(ROOT, 'config', 'directory.json')),
    ehr,
    outbox: new LocalOutbox(path.join(dataDir, 'outbox')),
    disclosures: new FileDisclosureLog(path.join(dataDir, 'disclosures')),
    temporalUiUrl: 'http://localhost:8233',
    namespace: 'default',
    webUrl: 'http://web.test',
    calendar: CalendarSettings.parse({ timeZone: 'America/Los_Angeles' }),
    logger: pino({ level: 'silent' }),
  });
}

test('an EHR that never answers: the escalation goes out and both drafts come back untried', async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'carried-drafts-'));
  const fixture = new FixtureEhr(path.join(ROOT, 'fixtures', 'ehr'), dataDir);
  let asked = 0;
  const silent: EhrAdapter = {
    packetContents: (m) => fixture.packetContents(m),
    documents: (m, c) => fixture.documents(m, c),
    closeEpisode: (a) => fixture.closeEpisode(a),
    draftProgressNote: () => {
      asked++;
      return new Promise(() => undefined);
    },
  };
  const result = await activitiesWith(silent, dataDir).sendNotice(escalation(2), [draft(1), draft(2)]);
  expect(result).toMatchObject({ status: 'sent' });
  expect(result.undrafted?.map((d) => d.key)).toEqual(['R-7K3M9Q2XWD/note-1', 'R-7K3M9Q2XWD/note-2']);
  expect(asked).toBe(1); // the second was not tried once the EHR stopped answering
  expect(readdirSync(path.join(dataDir, 'outbox'))).toHaveLength(1);
});

test('an EHR that answers: the drafts are filed with the notice and none come back', async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'carried-drafts-'));
  const result = await activitiesWith(new FixtureEhr(path.join(ROOT, 'fixtures', 'ehr'), dataDir), dataDir).sendNotice(
    escalation(3),
    [draft(1), draft(2)],
  );
  expect(result).toMatchObject({ status: 'sent' });
  expect(result.undrafted).toBeUndefined();
  expect(readdirSync(path.join(dataDir, 'ehr-notes'))).toHaveLength(2);
});
