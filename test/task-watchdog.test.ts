/**
 * The watchdog (worker/task-watchdog.ts) on the real dev server (CLI 1.9.1) with the real worker:
 * a transfer started by the real build is then served by a worker whose build breaks determinism;
 * its workflow tasks fail again and again. Within 2 minutes it is in the stuck view with the
 * server's reason, and on-call has the email naming it. Nothing resets it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { workflowIdFor } from '../domain/ids';
import { loadDirectory } from '../infra/config-files';
import { transferMessages } from '../workflows/messages';
import { useFreshAppDb } from './support/app-db';
import { eventually } from './support/eventually';
import { useDevServerStack } from './support/local-dev-server';
import { MEMBER, sampleRequest } from './support/transfer-harness';

useFreshAppDb();
const stack = useDevServerStack('referrals-watchdog-');

function onCallMail(): string[] {
  const mailbox = path.join(stack.dataDir, 'mailbox');
  const onCall = loadDirectory(stack.config.REFERRALS_DIRECTORY_FILE).onCall.email;
  let names: string[] = [];
  try {
    names = readdirSync(mailbox);
  } catch {
    return [];
  }
  return names.map((n) => readFileSync(path.join(mailbox, n), 'utf8')).filter((m) => m.includes(`To: ${onCall}`));
}

test('a transfer whose tasks keep failing is in the stuck view and on-call is emailed within 2 minutes', async () => {
  const { service, env } = stack;
  const stopReal = await stack.runWorker();
  const { referralId } = await service.startTransfer(sampleRequest());
  await eventually('the transfer under way', async () =>
    (await service.getTransfer(referralId)).stage === 'inform-member' ? true : undefined,
  );
  await stopReal();

  const stopBroken = await stack.runWorker({
    workflowBundle: undefined,
    workflowsPath: require.resolve('./support/broken-workflows'),
  });
  try {
    const brokenAt = Date.now();
    // Any new event makes the broken build replay the history, and fail.
    const temporal = await env.client.workflow.getHandle(workflowIdFor(referralId));
    await temporal.signal(transferMessages.event, {
      type: 'member-informed',
      actor: MEMBER,
      sentAt: new Date().toISOString(),
    } as never);

    const row = await eventually(
      'the transfer in the stuck view',
      async () => (await service.stuckTransfers()).find((r) => r.referralId === referralId && r.taskProblem),
      120_000,
    );
    expect(row.taskProblem).toMatch(/category=WorkflowTaskFailed/);
    expect(row.taskProblem).toMatch(/NonDeterministic/i);

    const [mail] = await eventually(
      'the on-call email',
      async () => {
        const found = onCallMail().filter((m) => m.includes(workflowIdFor(referralId)));
        return found.length ? found : undefined;
      },
      120_000 - (Date.now() - brokenAt),
    );
    expect(mail).toMatch(/its workflow tasks keep failing/);
    expect(mail).toMatch(/NonDeterministic/i);
    expect(Date.now() - brokenAt).toBeLessThan(120_000);
    // It detects; it does not reset: the same run is still the current one, still failing.
    expect((await temporal.describe()).status.name).toBe('RUNNING');
  } finally {
    await stopBroken();
  }
}, 240_000);
