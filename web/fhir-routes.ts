/**
 * The referral over FHIR R4 (docs/fhir.md): ServiceRequest, Task and Consent at /fhir/<type>/<id>,
 * read-only, for staff with an API token and for the receiving provider's system with the token
 * its packet email carries; and PUT /fhir/Task/<id>, by which that system moves the referral
 * (received, accepted, rejected, completed) exactly as the partner's signed links do. What is
 * served is at /fhir/metadata.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { FhirAccessClaims } from '../activities/partner-links';
import { findProvider } from '../domain/directory';
import {
  capabilityStatement,
  EVENT_FOR_TASK_STATUS,
  TASK_STATUSES,
  consent,
  serviceRequest,
  task,
  taskStatus,
  type Reader,
} from '../domain/fhir-referral';
import type { TransferState } from '../domain/state';
import type { WebContext } from './context';
import { toProblem } from './errors';
import { guard } from './staff-auth';

const FHIR_JSON = 'application/fhir+json';
const ResourceType = z.enum(['ServiceRequest', 'Task', 'Consent']);
const TaskUpdate = z.looseObject({
  resourceType: z.literal('Task'),
  id: z.string().optional(),
  status: z.enum(TASK_STATUSES),
  statusReason: z.object({ text: z.string().max(2000) }).optional(),
});

type Caller = (Reader & { kind: 'staff' }) | (Reader & { kind: 'partner'; claims: FhirAccessClaims });

/** An OperationOutcome: FHIR's own shape for an error, with the field or reason it is about. */
function outcome(reply: FastifyReply, status: number, code: string, diagnostics: string) {
  return reply
    .code(status)
    .type(FHIR_JSON)
    .send({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics }] });
}

export function fhirRoutes(app: FastifyInstance, ctx: WebContext): void {
  app.addContentTypeParser(FHIR_JSON, { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(Object.assign(new Error('the body is not JSON'), { statusCode: 400 }), undefined);
    }
  });

  /** A partner's token first (it opens one referral); otherwise a staff API token or session. */
  const caller = async (request: FastifyRequest, reply: FastifyReply): Promise<Caller | null> => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const claims = bearer ? ctx.partnerLinks.checkFhirToken(bearer) : null;
    if (claims) return { kind: 'partner', claims };
    return (await guard(ctx.sessions, request, reply, 'read', 'api')) ? { kind: 'staff' } : null;
  };

  /** The transfer, if this caller may see it; otherwise the refusal has been sent. */
  const transferFor = async (who: Caller, id: string, reply: FastifyReply): Promise<TransferState | null> => {
    if (who.kind === 'partner' && who.claims.referralId !== id) {
      await outcome(reply, 403, 'forbidden', 'this token opens another referral');
      return null;
    }
    try {
      const state = await ctx.service.getTransfer(id);
      // A provider that is no longer the receiving one (the county chose another) sees nothing more.
      if (who.kind === 'partner' && state.receivingProviderId !== who.claims.providerId) {
        await outcome(reply, 403, 'forbidden', 'the referral has gone to another provider');
        return null;
      }
      return state;
    } catch (err) {
      const problem = toProblem(err);
      if (problem?.status === 404 || problem?.status === 400) {
        await outcome(reply, 404, 'not-found', `no referral ${id}`);
        return null;
      }
      throw err;
    }
  };

  const providerName = (state: TransferState) =>
    findProvider(ctx.directory, state.receivingProviderId)?.name ?? state.receivingProviderId;

  const render = (type: z.infer<typeof ResourceType>, state: TransferState, who: Caller) => {
    if (type === 'ServiceRequest') return serviceRequest(state, providerName(state), who);
    if (type === 'Task') return task(state, providerName(state), who);
    return consent(state, who, ctx.now?.() ?? new Date());
  };

  // Public, as FHIR clients expect: it says what is served, nothing of any referral.
  const startedAt = new Date().toISOString();
  app.get('/fhir/metadata', async (_request, reply) => reply.type(FHIR_JSON).send(capabilityStatement(startedAt)));

  app.get('/fhir/:type/:id', async (request, reply) => {
    const params = request.params as { type: string; id: string };
    const type = ResourceType.safeParse(params.type);
    if (!type.success) return outcome(reply, 404, 'not-supported', `resource type ${params.type} is not served here`);
    const who = await caller(request, reply);
    if (!who) return reply;
    const state = await transferFor(who, params.id, reply);
    if (!state) return reply;
    const resource = render(type.data, state, who);
    if (!resource) return outcome(reply, 404, 'not-found', `no ${type.data} for referral ${params.id}`);
    return reply.type(FHIR_JSON).send(resource);
  });

  app.put('/fhir/Task/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    const who = await caller(request, reply);
    if (!who) return reply;
    if (who.kind !== 'partner')
      return outcome(reply, 403, 'forbidden', 'staff move a transfer through the app or the API, not its Task');
    const body = TaskUpdate.safeParse(request.body);
    if (!body.success) {
      const first = body.error.issues[0];
      return outcome(reply, 400, 'invalid', `Task.${first?.path.join('.') || 'body'}: ${first?.message}`);
    }
    if (body.data.id !== undefined && body.data.id !== id)
      return outcome(reply, 400, 'invalid', 'Task.id: does not match the URL');
    const state = await transferFor(who, id, reply);
    if (!state) return reply;
    const wanted = body.data.status;
    // The Task already says so: nothing to do (a PUT may be repeated).
    if (wanted === taskStatus(state)) return reply.type(FHIR_JSON).send(task(state, providerName(state), who));
    const type = EVENT_FOR_TASK_STATUS[wanted];
    if (!type)
      return outcome(
        reply,
        422,
        'business-rule',
        `Task.status: a receiving provider sets received, accepted, rejected or completed, not ${wanted}`,
      );
    if (type === 'referral-declined' && !body.data.statusReason?.text?.trim())
      return outcome(reply, 400, 'required', 'Task.statusReason.text: say why the referral is rejected');
    const event = {
      type,
      actor: { role: 'partner', id: who.claims.providerId },
      ...(type === 'referral-declined' ? { reason: body.data.statusReason?.text ?? '' } : {}),
    };
    try {
      const after = await ctx.service.sendEvent(id, event);
      request.log.info({ referralId: id, providerId: who.claims.providerId, status: wanted }, 'partner task update');
      return reply.type(FHIR_JSON).send(task(after, providerName(after), who));
    } catch (err) {
      const problem = toProblem(err);
      if (!problem) throw err;
      const detail = Object.entries(problem.errors).map(([f, m]) => `${f}: ${m}`);
      return outcome(reply, problem.status === 409 ? 409 : 422, 'business-rule', detail.join('; ') || problem.message);
    }
  });
}
