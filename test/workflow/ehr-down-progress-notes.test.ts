/**
 * Progress note drafts ride with the notice or disclosure that follows an action
 * (workflows/note-drafts.ts). An EHR that refuses them must hold up neither: the member still
 * gets the consent request, the partner the packet, and the drafts are filed, once each, when
 * the EHR takes them again.
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { eventually } from '../support/eventually';
import { CASE_MANAGER, consentFor, sampleRequest, useTransferHarness } from '../support/transfer-harness';

const MINUTE = 60_000;
const h = useTransferHarness();

test('with the EHR refusing drafts the transfer goes on, and the drafts are filed once it takes them again', async () => {
  // The fixture EHR files drafts in <data>/ehr-notes/: a plain file there makes every draft fail.
  const notesDir = path.join(h.dataDir, 'ehr-notes');
  writeFileSync(notesDir, 'the EHR is down');

  const handle = await h.start(sampleRequest());
  await h.waitFor(handle, (s) => s.consentNeeded !== null);
  await h.send(handle, { type: 'member-informed', actor: CASE_MANAGER, concernsAddressed: true });
  const asking = await h.waitFor(handle, (s) => s.stage === 'obtain-consent');

  // The consent request the member-informed draft rode with went out all the same.
  const sent = async () =>
    (await h.outbox()).filter((m) => m.referralId === asking.referralId && m.kind === 'consent-request');
  const request = await eventually('the consent request to go out', async () => (await sent())[0]);
  expect(request).toMatchObject({ audience: 'member' });

  // Consent comes in while the EHR is still down: the packet goes to the partner, carrying both drafts.
  await h.send(handle, {
    type: 'consent-recorded',
    actor: CASE_MANAGER,
    consent: consentFor([{ providerId: 'bayside-outpatient' }]),
  });
  await h.waitFor(handle, (s) => s.requestSentAt !== undefined, 'the packet to be sent');
  expect(
    (await h.outbox()).filter((m) => m.referralId === asking.referralId && m.kind === 'referral-packet'),
  ).toHaveLength(1);

  rmSync(notesDir);
  // The drafts are retried on their own; let the server's clock reach the next retry.
  await h.advance(10 * MINUTE);
  const filed = async () => (await h.notes()).filter((n) => n.subjectId === asking.referralId);
  await eventually('both drafts to be filed', async () => ((await filed()).length >= 2 ? true : undefined));
  await h.settle(handle);
  const notes = await filed();
  expect(notes.map((n) => n.action).sort()).toEqual(['member informed of referral', 'referral packet sent']);
  for (const n of notes) expect(n).toMatchObject({ status: 'Draft', authorId: 'cm-alvarez' });
});
