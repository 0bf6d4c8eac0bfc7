/**
 * One member's chart as a county EHR's FHIR endpoint holds it: each packet element in the shape an
 * EHR gives it, with text that names its element so a test can tell which reached a packet.
 */
import { MEMBER_ID_SYSTEM } from '../../domain/fhir-referral';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { PACKET_ELEMENT_SYSTEM } from '../../activities/fhir-ehr';

export const CHART_TEXT = {
  'member-information': 'Jordan Sample',
  diagnosis: 'Alcohol use disorder, moderate',
  assessments: 'ASAM dimension 1 answer: minimal withdrawal risk',
  'risk-assessments': 'C-SSRS answer: no ideation in the past month',
  'transition-of-care-tool': 'Transition of Care Tool: step down recommended',
  'recent-service-notes': 'Service note: attended group, engaged',
} as const;

const b64 = (s: string | Uint8Array) => Buffer.from(s).toString('base64');

async function pdfWith(text: string): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  pdf.addPage([612, 792]).drawText(text, { x: 54, y: 700, size: 12, font });
  return pdf.save();
}

/** Resources for one member, the Patient's id `patientId` and the county's member id `memberId`. */
export async function chartFor(patientId: string, memberId: string, now = new Date()) {
  const subject = { reference: `Patient/${patientId}` };
  const recent = new Date(now.getTime() - 5 * 86_400_000).toISOString();
  const old = new Date(now.getTime() - 90 * 86_400_000).toISOString();
  const doc = (id: string, element: string, date: string, attachment?: Record<string, string>) => ({
    resourceType: 'DocumentReference',
    id,
    status: 'current',
    category: [{ coding: [{ system: PACKET_ELEMENT_SYSTEM, code: element }] }],
    subject,
    date,
    description: element,
    content: attachment ? [{ attachment }] : [],
  });
  return [
    {
      resourceType: 'Patient',
      id: patientId,
      identifier: [{ system: MEMBER_ID_SYSTEM, value: memberId }],
      name: [{ family: 'Sample', given: ['Jordan'] }],
      birthDate: '1984-03-12',
    },
    {
      resourceType: 'Coverage',
      id: `${patientId}-coverage`,
      status: 'active',
      beneficiary: subject,
      subscriberId: '91234567A',
      payor: [{ display: 'Partnership HealthPlan' }],
    },
    {
      resourceType: 'Condition',
      id: `${patientId}-condition`,
      subject,
      clinicalStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
      },
      code: { text: CHART_TEXT.diagnosis },
    },
    {
      resourceType: 'QuestionnaireResponse',
      id: `${patientId}-asam`,
      status: 'completed',
      questionnaire: 'http://county.example.org/Questionnaire/asam',
      subject,
      authored: recent,
      item: [{ linkId: 'd1', text: 'ASAM dimension 1 answer', answer: [{ valueString: 'minimal withdrawal risk' }] }],
    },
    {
      resourceType: 'Observation',
      id: `${patientId}-cssrs`,
      status: 'final',
      category: [{ coding: [{ system: PACKET_ELEMENT_SYSTEM, code: 'risk-assessments' }] }],
      code: { text: 'C-SSRS answer' },
      subject,
      valueString: 'no ideation in the past month',
    },
    // The Transition of Care Tool as the EHR keeps it: a PDF, merged into the packet as it is.
    doc(`${patientId}-toc`, 'transition-of-care-tool', recent, {
      contentType: 'application/pdf',
      data: b64(await pdfWith(CHART_TEXT['transition-of-care-tool'])),
    }),
    // A note whose text the EHR keeps as a Binary, linked by URL.
    {
      resourceType: 'Binary',
      id: `${patientId}-note-text`,
      contentType: 'text/plain',
      data: b64(CHART_TEXT['recent-service-notes']),
    },
    doc(`${patientId}-note`, 'recent-service-notes', recent, {
      contentType: 'text/plain',
      url: `Binary/${patientId}-note-text`,
    }),
    // Older than 30 days: not a recent note.
    doc(`${patientId}-old-note`, 'recent-service-notes', old, {
      contentType: 'text/plain',
      data: b64('Service note from last season'),
    }),
  ];
}
