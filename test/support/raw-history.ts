/**
 * What the Temporal server stores, read without the codec: a transfer's history and its
 * description (search attributes, memo, user metadata) as protobuf bytes, and the payloads inside.
 */
import type { Client, Connection } from '@temporalio/client';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

export interface StoredTransfer {
  /** History and description, serialized as the server sends them: plain text would show here. */
  bytes: Buffer;
  history: temporal.api.history.v1.IHistory;
  payloads: Payload[];
}

/** `client` must have no codec: that is the point. */
export async function readStored(client: Client, connection: Connection, workflowId: string): Promise<StoredTransfer> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const description = await connection.workflowService.describeWorkflowExecution({
    namespace: 'default',
    execution: { workflowId },
  });
  const bytes = Buffer.concat([
    Buffer.from(temporal.api.history.v1.History.encode(history).finish()),
    Buffer.from(temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse.encode(description).finish()),
  ]);
  return { bytes, history, payloads: payloadsIn(history) };
}

/** Every Payload message anywhere in a decoded protobuf object (inputs, results, memos, failures, metadata...). */
function payloadsIn(message: unknown, found: Payload[] = []): Payload[] {
  if (Array.isArray(message)) for (const item of message) payloadsIn(item, found);
  else if (message && typeof message === 'object' && !(message instanceof Uint8Array)) {
    const o = message as Record<string, unknown>;
    if (o.data instanceof Uint8Array && o.metadata && typeof o.metadata === 'object') found.push(o as Payload);
    else for (const value of Object.values(o)) payloadsIn(value, found);
  }
  return found;
}

export const keyIdOf = (p: Payload): string | undefined => {
  const id = p.metadata?.['encryption-key-id'];
  return id ? Buffer.from(id).toString('utf8') : undefined;
};

/** All payloads decoded through the codec, as one text to search. */
export async function decodedText(codec: PayloadCodec, payloads: Payload[]): Promise<string> {
  const decoded = await codec.decode(payloads);
  return decoded.map((p) => Buffer.from(p.data ?? new Uint8Array()).toString('utf8')).join('\n');
}
