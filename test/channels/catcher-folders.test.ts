import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEmailChannel } from '../../activities/channels/email-channel';
import { createSmsChannel } from '../../activities/channels/sms-channel';
import { loadChannelConfig } from '../../infra/channel-config';

// Without SMTP or Twilio, messages land in folders a person reads and may clear. The folders are
// made when a write finds them missing (not before every write), so that must keep working.
let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'referrals-catchers-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

test('the mailbox and SMS folders are created on the first message, and again after someone deletes them', async () => {
  const config = loadChannelConfig({});
  const mailbox = path.join(root, 'data', 'mailbox');
  const smsDir = path.join(root, 'data', 'sms');
  const email = createEmailChannel(config, mailbox);
  const sms = createSmsChannel(config, smsDir);
  const send = async (key: string) => {
    await email.send({ key, to: 'intake@bayside.example.org', subject: 'Referral', text: 'A referral is waiting.' });
    await sms.send({ key, to: '+17075550100', body: 'You have an appointment.' });
  };

  try {
    await send('first');
    await send('second');
    expect(readdirSync(mailbox).sort()).toEqual(['first.eml', 'second.eml']);
    expect(readdirSync(smsDir).sort()).toEqual(['first.json', 'second.json']);

    rmSync(path.join(root, 'data'), { recursive: true });
    await send('third');
    expect(readdirSync(mailbox)).toEqual(['third.eml']);
    expect(readdirSync(smsDir)).toEqual(['third.json']);
  } finally {
    email.close();
  }
});
