/**
 * Email through a real SMTP server started here: packets to partners (PDF, consented documents,
 * Part 2 notice, action links), escalations, and one message per business key even across
 * retries and a crash between the provider call and recording it.
 */
import type { DiscloseArgs } from '../../activities';
import { CrashAfterSend } from '../support/app-db';
import { PDFDocument } from 'pdf-lib';
import { messageIdFor } from '../../activities/channels/message-id';
import { renderPacketPdf } from '../../activities/referral-packet';
import {
  channelActivities,
  escalation,
  expectFailedSendWithout,
  testPartnerLinks,
} from '../support/channel-activities';
import { startSmtpCatcher } from '../support/smtp-catcher';

let smtp: Awaited<ReturnType<typeof startSmtpCatcher>>;
beforeAll(async () => {
  smtp = await startSmtpCatcher();
});
afterAll(() => smtp.close());
beforeEach(() => {
  smtp.received.length = 0;
});

const DOMAIN = 'referrals.county.example.org';

function packetArgs(overrides: Partial<DiscloseArgs> = {}): DiscloseArgs {
  return {
    key: 'R-7K3M9Q2XWD/packet-bayside-outpatient-0',
    referralId: 'R-7K3M9Q2XWD',
    memberId: 'M-100234',
    sendingProgramId: 'north-county-residential',
    purpose: 'referral-packet',
    recipient: {
      providerId: 'bayside-outpatient',
      inMentalHealthPlan: true,
      sharedEhr: true,
      classes: ['county-sud-outpatient'],
    },
    context: { partTwo: true, sequestered: false },
    consents: [
      {
        consentId: 'C-1',
        memberId: 'M-100234',
        discloserProgramId: 'north-county-residential',
        recipients: [{ providerId: 'bayside-outpatient' }],
        categories: ['member-information', 'assessments'],
        purpose: 'Continuity of care',
        expiration: { event: 'end of treatment' },
        signedAt: '2026-11-01T00:00:00Z',
        signedBy: { kind: 'member' },
        toldOfRightToRevoke: true,
      },
    ],
    categories: ['member-information', 'assessments'],
    dueAt: '2026-11-20T18:00:00.000Z',
    ...overrides,
  };
}

test('a Part 2 packet goes to the partner over TLS as a PDF with the consented documents only, once, with a stable Message-ID', async () => {
  const c = await channelActivities(smtp.env);
  try {
    expect(await c.activities.disclose(packetArgs())).toMatchObject({ status: 'sent' });
    expect(await c.activities.disclose(packetArgs())).toMatchObject({ status: 'duplicate' }); // an activity retry
    expect(smtp.received).toHaveLength(1);
    const [{ mail, envelopeTo, secure }] = smtp.received as [(typeof smtp.received)[number]];
    expect(secure).toBe(true);
    expect(envelopeTo).toEqual(['intake@bayside.example.org']);
    expect(mail.subject).toBe('Referral packet R-7K3M9Q2XWD');
    expect(mail.messageId).toBe(messageIdFor('R-7K3M9Q2XWD/packet-bayside-outpatient-0', DOMAIN));
    // Each action link is signed for this transfer, provider and action only.
    const token = /acknowledge: http:\/\/web\.test\/partner\/(\S+)/.exec(mail.text ?? '')?.[1] ?? '';
    expect(testPartnerLinks.check(token)).toMatchObject({
      ok: true,
      claims: { referralId: 'R-7K3M9Q2XWD', providerId: 'bayside-outpatient', action: 'acknowledge' },
    });
    const [pdf] = mail.attachments;
    expect(mail.attachments).toHaveLength(1);
    expect(pdf).toMatchObject({ contentType: 'application/pdf', filename: 'referral-R-7K3M9Q2XWD.pdf' });
    const body = pdf!.content.toString('latin1');
    expect(body.startsWith('%PDF-')).toBe(true);
    // Only the consented categories are disclosed, and the disclosure is on record.
    expect(await c.disclosures.list('R-7K3M9Q2XWD')).toEqual([
      expect.objectContaining({
        providerId: 'bayside-outpatient',
        recipient: 'intake@bayside.example.org',
        categories: ['member-information', 'assessments'],
        consentId: 'C-1',
        disclosedAt: '2026-11-20T18:00:00.000Z',
      }),
    ]);
  } finally {
    await c.close();
  }
});

test('the PDF holds the cover sheet, the redisclosure notice, the consent copy and only the consented documents', async () => {
  const bytes = await renderPacketPdf({
    referralId: 'R-7K3M9Q2XWD',
    purpose: 'referral-packet',
    sendingProgram: { id: 'p', name: 'North County', phone: '+17075550100' },
    categories: ['member-information'],
    documents: [{ category: 'member-information', title: 'Face sheet', content: [] }],
    part2RedisclosureNotice: '42 CFR part 2 notice',
    consentCopy: { consentId: 'C-1' } as never,
  });
  const doc = await PDFDocument.load(bytes);
  expect(doc.getTitle()).toBe('Referral R-7K3M9Q2XWD');
  expect(doc.getPageCount()).toBe(2); // cover sheet (with notice and consent) + one document
});

test('escalations reach the clinic director and the contract monitor by email: the staff page, who is late with their contact, business days, no member details', async () => {
  const c = await channelActivities(smtp.env);
  try {
    await c.activities.sendNotice(escalation(2));
    await c.activities.sendNotice(escalation(3));
    expect(smtp.received.map((r) => r.envelopeTo)).toEqual([
      ['dwhitfield@county.example.org'],
      ['praman@county.example.org'],
    ]);
    for (const { mail } of smtp.received) {
      expect(mail.subject).toMatch(
        /^Escalation \(level [23]\): referral R-7K3M9Q2XWD stuck at send-packet, waiting on Bayside Recovery Outpatient/,
      );
      expect(mail.text).toContain('Open the transfer: http://web.test/transfers/R-7K3M9Q2XWD');
      expect(mail.text).toContain(
        'waited 4 business days on Bayside Recovery Outpatient (ASAM 1.0) (intake@bayside.example.org, +17075550300)',
      );
      for (const secret of ['M-100234', '+17075550987', 'member.sample@example.org'])
        expect(mail.text).not.toContain(secret);
    }
  } finally {
    await c.close();
  }
});

test('a crash between the SMTP send and recording it does not produce a second message on retry', async () => {
  let ledger!: CrashAfterSend;
  const c = await channelActivities(smtp.env, { ledger: (db) => (ledger = new CrashAfterSend(db)) });
  try {
    await expect(c.activities.sendNotice(escalation(2))).rejects.toThrow(/crashed/);
    expect(smtp.received).toHaveLength(1);
    // Temporal retries the activity: the ledger's pending row says an attempt may have gone out.
    expect(await c.activities.sendNotice(escalation(2))).toMatchObject({ status: 'duplicate' });
    expect(smtp.received).toHaveLength(1);
    expect(await ledger.get(escalation(2).key)).toMatchObject({ state: 'pending' });
  } finally {
    await c.close();
  }
});

test('an SMTP refusal before acceptance is recorded as failed (nothing went out), so a retry may send', async () => {
  const down = await channelActivities({ ...smtp.env, SMTP_PASSWORD: 'wrong-password' });
  try {
    await expect(down.activities.sendNotice(escalation(3))).rejects.toThrow();
    expect(await down.ledger.get(escalation(3).key)).toMatchObject({ state: 'failed' });
  } finally {
    await down.close();
  }
  expect(smtp.received).toHaveLength(0);
});

test("a server's refusal that names the partner's address reaches the ledger, Temporal and the logs without it", async () => {
  // As real servers answer an unknown mailbox; nodemailer also lists the address in `rejected`.
  const refusing = await startSmtpCatcher(undefined, {
    beforeAnswer: async (stage, address) => {
      if (stage === 'rcpt')
        throw Object.assign(new Error(`5.1.1 <${address}>: Recipient address rejected: User unknown`), {
          responseCode: 550,
        });
    },
  });
  const c = await channelActivities(refusing.env);
  try {
    const err = await c.activities.disclose(packetArgs()).catch((e: unknown) => e as Error);
    await expectFailedSendWithout(c, packetArgs().key, err, 'bayside.example.org');
    expect(err).toMatchObject({
      message: expect.stringContaining('550 5.1.1 <[recipient]>: Recipient address rejected'),
      responseCode: 550,
    });
  } finally {
    await c.close();
    await refusing.close();
  }
  expect(refusing.received).toHaveLength(0);
});
