/**
 * The JSON API, mirroring the CLI, one shape for transfers and coordination clocks: start, list,
 * state, events (and for transfers, stuck and withdraw). Actor and time of each event come from
 * the signed-in person and the server, never from the body.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ClockFilters } from '../client/clock-list';
import { parseInput } from '../client/parse-input';
import type { Actor } from '../domain/events';
import type { WebContext } from './context';
import { sendProblem as fail } from './errors';
import { actorFor } from './roles';
import { guard } from './staff-auth';
import { findTransfers, startTransfer, transferQuery } from './transfer-lookup';

type Query = Record<string, string | undefined>;

const StuckQuery = z.strictObject({ asOf: z.iso.datetime({ offset: true }).optional() });

/** What differs between the transfers' API and the clocks'. */
interface Subject {
  path: string;
  start(body: unknown): Promise<unknown>;
  list(query: Query): Promise<unknown>;
  get(id: string): Promise<unknown>;
  send(id: string, event: Record<string, unknown>): Promise<unknown>;
  /** The event that ends it early: a manager's decision, like the withdraw route. */
  managersOnly: string;
}

export function apiRoutes(app: FastifyInstance, ctx: WebContext): void {
  const { service, clocks } = ctx;
  subjectRoutes(app, ctx, {
    path: '/api/transfers',
    start: (body) => startTransfer(ctx, body),
    // One page, with whom each row is about: `{ transfers, nextPageToken }`.
    list: async (q) => {
      const { rows, nextPageToken } = await findTransfers(ctx, transferQuery(q));
      return { transfers: rows, nextPageToken };
    },
    get: (id) => service.getTransfer(id),
    send: (id, event) => service.sendEvent(id, event),
    managersOnly: 'withdrawn',
  });
  subjectRoutes(app, ctx, {
    path: '/api/clocks',
    start: (body) => clocks.startClock(body),
    list: (q) => clocks.listClocks(parseInput(ClockFilters, { kind: q.kind, status: q.status })),
    get: (id) => clocks.getClock(id),
    send: (id, event) => clocks.sendClockEvent(id, event),
    managersOnly: 'clock-closed',
  });

  // Registered before `/:id`, so "stuck" is not read as an id.
  app.get('/api/transfers/stuck', async (request, reply) => {
    if (!(await guard(ctx.sessions, request, reply, 'read', 'api'))) return reply;
    return answer(reply, () => {
      const { asOf } = parseInput(StuckQuery, request.query);
      return service.stuckTransfers(asOf === undefined ? undefined : new Date(asOf));
    });
  });

  // What the Temporal UI shows managers, and the county's time zone to read its times in.
  app.get('/api/transfers/:id/summary', async (request, reply) => {
    if (!(await guard(ctx.sessions, request, reply, 'read', 'api'))) return reply;
    return answer(reply, async () => ({ ...(await service.summarizeTransfer(idOf(request))), timeZone: ctx.timeZone }));
  });

  app.post('/api/transfers/:id/withdraw', async (request, reply) => {
    const user = await guard(ctx.sessions, request, reply, 'withdraw', 'api');
    if (!user) return reply;
    const reason = (request.body as { reason?: unknown } | undefined)?.reason;
    return answer(reply, () =>
      service.withdraw(idOf(request), typeof reason === 'string' ? reason : '', actorFor(user)),
    );
  });
}

function subjectRoutes(app: FastifyInstance, ctx: WebContext, subject: Subject): void {
  app.post(subject.path, async (request, reply) => {
    if (!(await guard(ctx.sessions, request, reply, 'start', 'api'))) return reply;
    return answer(reply, async () => reply.code(201).send(await subject.start(request.body)));
  });

  app.get(subject.path, async (request, reply) => {
    if (!(await guard(ctx.sessions, request, reply, 'read', 'api'))) return reply;
    return answer(reply, () => subject.list(request.query as Query));
  });

  app.get(`${subject.path}/:id`, async (request, reply) => {
    if (!(await guard(ctx.sessions, request, reply, 'read', 'api'))) return reply;
    return answer(reply, () => subject.get(idOf(request)));
  });

  app.post(`${subject.path}/:id/events`, async (request, reply) => {
    const user = await guard(ctx.sessions, request, reply, 'send-event', 'api');
    if (!user) return reply;
    const body = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      return reply.code(400).send({ error: 'expected a JSON object' });
    if ('actor' in body || 'sentAt' in body)
      return reply.code(400).send({
        error: 'actor and sentAt come from your sign-in and the server',
        problems: [{ field: 'actor', message: 'not accepted' }],
      });
    const type = (body as { type?: unknown }).type;
    if (type === subject.managersOnly && !(await guard(ctx.sessions, request, reply, 'withdraw', 'api'))) return reply;
    const actor: Actor = actorFor(user);
    return answer(reply, () => subject.send(idOf(request), { ...body, actor }));
  });
}

const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;

/** The call's result, or the service's error as a problem response. */
async function answer(reply: FastifyReply, call: () => Promise<unknown>): Promise<unknown> {
  try {
    return await call();
  } catch (err) {
    return fail(reply, err);
  }
}
