/**
 * The checks every staff route makes, in this order: signed in (401), CSRF token on anything
 * that changes state when the person came with a browser session (403), role (403). They come
 * before any lookup, so a refusal says nothing about whether a transfer exists.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { csrfPassed } from './csrf';
import { may, type StaffPermission } from './roles';
import type { Sessions, SignedInUser } from './session';

export type Surface = 'page' | 'api';

/** The plain page a refused staff request gets. */
export const refusalPage = (status: number, message: string): string =>
  `<!doctype html><title>${status}</title><p>${message}</p><p><a href="/sign-in">Sign in</a></p>`;

export async function guard(
  sessions: Sessions,
  request: FastifyRequest,
  reply: FastifyReply,
  permission: StaffPermission,
  surface: Surface,
): Promise<SignedInUser | null> {
  const user = await sessions.user(request);
  const refuse = (status: number, message: string): null => {
    if (surface === 'api') void reply.code(status).send({ error: message });
    else if (status === 401 && request.method === 'GET')
      void reply.redirect(`/sign-in?next=${encodeURIComponent(request.url)}`, 303);
    else void reply.code(status).type('text/html').send(refusalPage(status, message));
    return null;
  };
  if (!user) return refuse(401, 'Sign in first.');
  if (request.method !== 'GET' && user.via === 'session' && !csrfPassed(request, reply)) return null;
  if (!may(user, permission)) {
    request.log.warn({ user: user.id, role: user.role, permission }, 'refused: role');
    return refuse(403, 'Your role does not allow this.');
  }
  return user;
}
