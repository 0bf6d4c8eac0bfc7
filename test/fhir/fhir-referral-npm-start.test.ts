/**
 * The EHR and the partner over FHIR R4, through what `npm start` runs, against a real FHIR server
 * (HAPI FHIR, test/support/fhir-server.ts): the packet is read from the member's chart and holds
 * the text of exactly the consented documents; the ServiceRequest, Task and Consent the web app
 * serves validate against FHIR R4 with 0 errors; and the partner's system, with the token from its
 * packet email, moves the transfer by setting its Task to accepted. Bad or partial EHR data gives
 * a missing element (a task) or a retried failure, never a half-sent packet.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { FhirEhr } from '../../activities/fhir-ehr';
import { MEMBER_ID_SYSTEM } from '../../domain/fhir-referral';
import { stopLeftoverAppDb } from '../../infra/app-db/embedded-server';
import { CHART_TEXT, chartFor } from '../support/fhir-chart';
import { startFhirServer, type FhirServer } from '../support/fhir-server';
import { ANY_HOUR_POLICY_FILE } from '../support/local-dev-server';
import { freshStackPlace, NpmStart, stackEnv } from '../support/npm-start';
import { pdfLines } from '../support/pdf-text';
import { ROOT } from '../support/referrals-cli';
import { codecEnv } from '../support/test-codec';
import { consentFor } from '../support/consents';
import { eventually } from '../support/eventually';
import { tokenAfterFirstStart } from '../support/web-stack';

jest.setTimeout(420_000);

const CONSENTED = ['member-information', 'diagnosis', 'assessments', 'transition-of-care-tool'] as const;
const NOT_CONSENTED = ['risk-assessments', 'recent-service-notes'] as const;

let fhir: FhirServer;
let run: NpmStart;
let dataDir: string;
let webUrl: string;
let staffToken: string;
let referralId: string;
const sample = JSON.parse(readFileSync(path.join(ROOT, 'fixtures', 'sample-transfer.json'), 'utf8'));

beforeAll(async () => {
  fhir = await startFhirServer();
  for (const resource of await chartFor('ehr-4711', sample.member.memberId)) await fhir.put(resource);
  const place = await freshStackPlace('referrals-fhir-');
  dataDir = place.dataDir;
  webUrl = `http://127.0.0.1:${place.webPort}`;
  run = new NpmStart({
    ...stackEnv(place),
    ...codecEnv(),
    REFERRALS_POLICY_FILE: ANY_HOUR_POLICY_FILE,
    REFERRALS_EHR_FHIR_URL: fhir.base,
  });
  await run.waitFor(/^Ready\./m, 180_000);
  staffToken = await tokenAfterFirstStart(webUrl, dataDir, 'intake');
});

afterAll(async () => {
  run?.interrupt();
  await run?.exitWithin(30_000).catch(() => run.kill());
  if (dataDir) {
    await stopLeftoverAppDb(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  }
  await fhir?.close();
});

async function call(method: string, url: string, token: string, body?: unknown) {
  const response = await fetch(`${webUrl}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body ? { 'content-type': url.startsWith('/fhir') ? 'application/fhir+json' : 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

const state = async () => (await call('GET', `/api/transfers/${referralId}`, staffToken)).json;

async function packetMail(id = referralId) {
  return eventually(
    'the packet email',
    async () => {
      const folder = path.join(dataDir, 'mailbox');
      let files: string[] = [];
      try {
        files = readdirSync(folder).filter((f) => f.endsWith('.eml'));
      } catch {
        return undefined;
      }
      for (const f of files) {
        const mail = await simpleParser(readFileSync(path.join(folder, f)));
        if (mail.subject === `Referral packet ${id}`) return mail;
      }
      return undefined;
    },
    60_000,
  );
}

test('the packet read from the FHIR chart holds the text of exactly the consented documents', async () => {
  const started = await call('POST', '/api/transfers', staffToken, sample);
  expect(started.status).toBe(201);
  referralId = started.json.referralId;
  await call('POST', `/api/transfers/${referralId}/events`, staffToken, {
    type: 'member-informed',
    concernsAddressed: true,
  });
  // Every element is in the chart, so nothing waits on the case manager.
  const atConsent = await eventually('the packet assembled', async () => {
    const s = await state();
    return s.stage === 'obtain-consent' ? s : undefined;
  });
  expect(atConsent.packet.missing).toEqual([]);
  const consent = {
    ...JSON.parse(readFileSync(path.join(ROOT, 'fixtures', 'sample-consent.json'), 'utf8')),
    consentId: 'ROI-FHIR-1',
    categories: [...CONSENTED],
    signedAt: new Date(Date.now() - 60_000).toISOString(),
  };
  const recorded = await call('POST', `/api/transfers/${referralId}/events`, staffToken, {
    type: 'consent-recorded',
    consent,
  });
  expect(recorded.status).toBe(200);

  const mail = await packetMail();
  const pdf = mail.attachments.find((a) => a.contentType === 'application/pdf');
  const text = (await pdfLines(pdf!.content)).join('\n');
  for (const element of CONSENTED)
    expect({ element, present: text.includes(CHART_TEXT[element]) }).toEqual({ element, present: true });
  for (const element of NOT_CONSENTED)
    expect({ element, present: text.includes(CHART_TEXT[element]) }).toEqual({ element, present: false });
  // Part 2 records: the redisclosure notice and the consent copy come with them.
  expect(text).toContain('42 CFR 2.32');
  expect(text).toContain('ROI-FHIR-1');
  // The email itself names nobody.
  expect(mail.text).not.toContain(sample.member.name);

  // The disclosure's progress note went back to the EHR as a preliminary DocumentReference.
  const drafts = await eventually('the note draft in the EHR', async () => {
    const docs = await fhir.search('DocumentReference?patient=Patient/ehr-4711');
    const found = docs.filter((d) => d.docStatus === 'preliminary');
    return found.length ? found : undefined;
  });
  expect(drafts[0]!.type.coding[0].code).toBe('11506-3');
});

test('the ServiceRequest, Task and Consent served validate against FHIR R4 with 0 errors, for staff and the partner', async () => {
  const mail = await packetMail();
  const taskUrl = /(\S+\/fhir\/Task\/\S+)/.exec(mail.text ?? '')?.[1] ?? '';
  const partnerToken = /Authorization: Bearer (\S+)/.exec(mail.text ?? '')?.[1] ?? '';
  expect(taskUrl.endsWith(`/fhir/Task/${referralId}`)).toBe(true);
  // The URL as the email gives it (the public URL), with the token as the email gives it.
  expect((await fetch(taskUrl, { headers: { authorization: `Bearer ${partnerToken}` } })).status).toBe(200);

  for (const [who, token] of [
    ['staff', staffToken],
    ['partner', partnerToken],
  ] as const) {
    for (const type of ['ServiceRequest', 'Task', 'Consent']) {
      const got = await call('GET', `/fhir/${type}/${referralId}`, token);
      expect({ who, type, status: got.status }).toEqual({ who, type, status: 200 });
      expect({ who, type, errors: await fhir.errors(got.json) }).toEqual({ who, type, errors: [] });
      // Only signed-in staff see who the member is.
      expect(JSON.stringify(got.json).includes(sample.member.name)).toBe(who === 'staff');
    }
  }
  // What a FHIR client reads first, without a token.
  const metadata = await fetch(`${webUrl}/fhir/metadata`);
  expect(metadata.status).toBe(200);
  const capabilities = (await metadata.json()) as { rest: { resource: { type: string }[] }[] };
  expect(await fhir.errors(capabilities)).toEqual([]);
  expect(capabilities.rest[0]!.resource.map((r: { type: string }) => r.type)).toEqual([
    'ServiceRequest',
    'Task',
    'Consent',
  ]);
  const task = await call('GET', `/fhir/Task/${referralId}`, partnerToken);
  expect(task.json).toMatchObject({ status: 'requested', focus: { reference: `ServiceRequest/${referralId}` } });
  const consent = await call('GET', `/fhir/Consent/${referralId}`, staffToken);
  expect(consent.json.provision.code.map((c: { text: string }) => c.text)).toEqual([...CONSENTED]);

  // The validator is not lenient: a Task without its intent has errors.
  const { intent: _, ...withoutIntent } = task.json;
  expect(await fhir.errors(withoutIntent)).not.toEqual([]);
  // No token, or a link token in place of the FHIR token: refused.
  expect((await fetch(`${webUrl}/fhir/Task/${referralId}`)).status).toBe(401);
  const ackLink = /acknowledge: \S+\/partner\/(\S+)/.exec(mail.text ?? '')?.[1] ?? '';
  expect((await call('GET', `/fhir/Task/${referralId}`, ackLink)).status).toBe(401);
  // ...and the FHIR token is no partner link.
  expect((await fetch(`${webUrl}/partner/${partnerToken}`)).status).toBe(403);
});

test("the partner's Task set to accepted moves the transfer as the acknowledge link does", async () => {
  const mail = await packetMail();
  const partnerToken = /Authorization: Bearer (\S+)/.exec(mail.text ?? '')?.[1] ?? '';
  const before = await state();
  expect(before.stage).toBe('send-packet');

  const refusals: [string, Promise<{ status: number; json: any }>, number][] = [
    [
      'staff move transfers elsewhere',
      call('PUT', `/fhir/Task/${referralId}`, staffToken, { resourceType: 'Task', status: 'accepted' }),
      403,
    ],
    [
      'an unknown status',
      call('PUT', `/fhir/Task/${referralId}`, partnerToken, { resourceType: 'Task', status: 'bogus' }),
      400,
    ],
    [
      'a status a partner does not set',
      call('PUT', `/fhir/Task/${referralId}`, partnerToken, { resourceType: 'Task', status: 'cancelled' }),
      422,
    ],
    [
      'a rejection without a reason',
      call('PUT', `/fhir/Task/${referralId}`, partnerToken, { resourceType: 'Task', status: 'rejected' }),
      400,
    ],
    [
      'another id in the body',
      call('PUT', `/fhir/Task/${referralId}`, partnerToken, {
        resourceType: 'Task',
        id: 'R-OTHER',
        status: 'accepted',
      }),
      400,
    ],
    [
      'another referral',
      call('PUT', '/fhir/Task/R-7K3M9Q2XWD', partnerToken, { resourceType: 'Task', status: 'accepted' }),
      403,
    ],
  ];
  for (const [name, response, status] of refusals) {
    const r = await response;
    expect({ name, status: r.status, type: r.json?.resourceType }).toEqual({ name, status, type: 'OperationOutcome' });
  }
  const bogus = await call('PUT', `/fhir/Task/${referralId}`, partnerToken, { resourceType: 'Task', status: 'bogus' });
  expect(bogus.json.issue[0].diagnostics).toMatch(/^Task\.status/);
  expect(await state()).toEqual(before);

  const accepted = await call('PUT', `/fhir/Task/${referralId}`, partnerToken, {
    resourceType: 'Task',
    status: 'accepted',
  });
  expect(accepted.status).toBe(200);
  expect(accepted.json.status).toBe('accepted');
  const after = await state();
  expect(after.stage).toBe('confirm-scheduled');
  expect(after.acknowledgedAt).toBeDefined();
  const ack = after.timeline.filter((t: any) => t.kind === 'event' && t.event.type === 'packet-acknowledged');
  expect(ack.map((t: any) => t.event.actor)).toEqual([{ role: 'partner', id: sample.receivingProviderId }]);
  // Repeating the PUT changes nothing.
  const again = await call('PUT', `/fhir/Task/${referralId}`, partnerToken, {
    resourceType: 'Task',
    status: 'accepted',
  });
  expect(again.status).toBe(200);
  expect((await state()).timeline.length).toBe(after.timeline.length);
});

test('a provider whose system does not follow FHIR gets the links only, no token', async () => {
  const started = await call('POST', '/api/transfers', staffToken, { ...sample, receivingProviderId: 'redwood-iop' });
  expect(started.status).toBe(201);
  const id: string = started.json.referralId;
  await call('POST', `/api/transfers/${id}/events`, staffToken, { type: 'member-informed', concernsAddressed: true });
  const consent = consentFor([{ providerId: 'redwood-iop' }], {
    consentId: 'ROI-FHIR-2',
    signedAt: new Date(Date.now() - 60_000).toISOString(),
  });
  await eventually('consent asked for', async () =>
    (await call('GET', `/api/transfers/${id}`, staffToken)).json.stage === 'obtain-consent' ? true : undefined,
  );
  expect(
    (await call('POST', `/api/transfers/${id}/events`, staffToken, { type: 'consent-recorded', consent })).status,
  ).toBe(200);
  const mail = await packetMail(id);
  expect(mail.text).toMatch(/acknowledge: \S+\/partner\//);
  expect(mail.text).not.toContain('Authorization: Bearer');
  expect(mail.text).not.toContain('/fhir/');
});

describe('bad or partial EHR data', () => {
  const settings = (baseUrl: string, timeoutMs = 5_000) => ({
    baseUrl,
    memberIdSystem: MEMBER_ID_SYSTEM,
    timeoutMs,
    dataDir: '/nonexistent',
  });
  const ehr = (baseUrl: string, timeoutMs = 5_000) => new FhirEhr(settings(baseUrl, timeoutMs));

  test('a member the EHR does not know has every element missing: the case manager gets the task', async () => {
    const contents = await ehr(fhir.base).packetContents('M-NOBODY');
    expect(contents.present).toEqual([]);
    expect(contents.missing).toHaveLength(6);
  });

  test('a DocumentReference without an attachment leaves its element missing', async () => {
    const chart = await chartFor('ehr-0815', 'M-200001');
    for (const r of chart) {
      if (r.id === 'ehr-0815-toc') await fhir.put({ ...r, content: [] } as typeof r);
      else await fhir.put(r);
    }
    const contents = await ehr(fhir.base).packetContents('M-200001');
    expect(contents.missing).toEqual(['transition-of-care-tool']);
    expect(await ehr(fhir.base).documents('M-200001', ['transition-of-care-tool'])).toEqual([]);
  });

  test('a malformed resource is left out, as if absent: its element is missing, nothing is retried', async () => {
    for (const r of await chartFor('ehr-0817', 'M-200003')) {
      // An Observation without its code (1..1 in R4).
      if (r.id === 'ehr-0817-cssrs') await fhir.put({ ...r, code: undefined } as typeof r);
      else await fhir.put(r);
    }
    expect((await ehr(fhir.base).packetContents('M-200003')).missing).toEqual(['risk-assessments']);
  });

  test("an attachment elsewhere is fetched without the EHR's token", async () => {
    const seen: (string | undefined)[] = [];
    const elsewhere = http.createServer((request, response) => {
      seen.push(request.headers.authorization);
      response.writeHead(200, { 'content-type': 'text/plain' }).end('Transition of Care Tool, kept elsewhere');
    });
    await new Promise<void>((r) => elsewhere.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/toc.txt`;
      for (const r of await chartFor('ehr-0816', 'M-200002'))
        await fhir.put(
          r.id === 'ehr-0816-toc'
            ? ({ ...r, content: [{ attachment: { contentType: 'text/plain', url } }] } as typeof r)
            : r,
        );
      const withToken = new FhirEhr({ ...settings(fhir.base), token: 'ehr-secret' });
      const [toc] = await withToken.documents('M-200002', ['transition-of-care-tool']);
      expect(toc?.content).toEqual([{ kind: 'text', text: 'Transition of Care Tool, kept elsewhere' }]);
      expect(seen).toEqual([undefined]);
    } finally {
      elsewhere.close();
    }
  });

  test('a server answering 500, or not at all, fails the read (the activity retries) with no member data', async () => {
    const failing = http.createServer((request, response) => {
      if (request.url?.includes('hang')) return; // never answers
      response.writeHead(500).end('{"resourceType":"OperationOutcome"}');
    });
    await new Promise<void>((r) => failing.listen(0, '127.0.0.1', r));
    const port = (failing.address() as AddressInfo).port;
    try {
      await expect(ehr(`http://127.0.0.1:${port}/fhir`).packetContents('M-100234')).rejects.toThrow(
        /^EHR FHIR GET \/fhir\/Patient answered 500$/,
      );
      await expect(ehr(`http://127.0.0.1:${port}/hang`, 500).packetContents('M-100234')).rejects.toThrow(
        /timeout|aborted/i,
      );
    } finally {
      failing.closeAllConnections();
      failing.close();
    }
  });
});
