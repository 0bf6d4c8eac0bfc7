/**
 * Every link a message or page carries to our own systems, built in one place. The Temporal UI
 * is the county's internal tool: only staff are ever given a link to it. Staff open a transfer
 * in the web app first.
 */
const trim = (base: string) => base.replace(/\/+$/, '');

/** A workflow in the Temporal UI (staff only). */
export function temporalUiWorkflowUrl(uiUrl: string, namespace: string, workflowId: string): string {
  return `${trim(uiUrl)}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

/** A list query in the Temporal UI, such as the stuck view (staff only). */
export function temporalUiQueryUrl(uiUrl: string, namespace: string, query: string): string {
  return `${trim(uiUrl)}/namespaces/${encodeURIComponent(namespace)}/workflows?query=${encodeURIComponent(query)}`;
}

/** A transfer's page in the web app (staff sign in to see it). */
export function staffTransferUrl(webUrl: string, referralId: string): string {
  return `${trim(webUrl)}/transfers/${encodeURIComponent(referralId)}`;
}
