/**
 * "No message to anyone outside county staff ever links the Temporal UI": checked over every
 * message a test stack sent (the harness's outbox, the web stack's and the channel tests'
 * mailboxes) when the stack stops. County staff are the directory's case managers, clinic
 * directors, program managers and contract monitors.
 */
import type { Directory } from '../../domain/directory';

function countyStaffAddresses(directory: Directory): Set<string> {
  const staff = directory.programs.flatMap((p) => [
    p.clinicDirector,
    ...(p.programManager ? [p.programManager] : []),
    ...p.caseManagers,
  ]);
  return new Set(
    [...staff, ...directory.providers.map((p) => p.contractMonitor), directory.onCall].map((c) =>
      c.email.toLowerCase(),
    ),
  );
}

/** A Temporal UI page on any host: its paths start with the namespace (domain/links.ts). */
const UI_PATH = /\/namespaces\/[^/\s]+\/workflows/;

/**
 * The messages to anyone but county staff that mention the Temporal UI (its address when known,
 * or a UI page on any host), described for a failure message.
 */
export function temporalUiLinksSentOutside(
  messages: { to: string; subject?: string; text: string }[],
  temporalUiUrl: string | undefined,
  directory: Directory,
): string[] {
  const staff = countyStaffAddresses(directory);
  const ui = temporalUiUrl ? new URL(temporalUiUrl).host : undefined;
  const links = (text: string) => UI_PATH.test(text) || (ui !== undefined && text.includes(ui));
  return messages
    .filter((m) => !staff.has(m.to.toLowerCase()) && links(`${m.subject ?? ''}\n${m.text}`))
    .map((m) => `to ${m.to}: ${m.subject ?? ''}`);
}
