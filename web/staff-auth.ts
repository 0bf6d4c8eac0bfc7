/**
 * The checks every staff route makes, in this order: signed in (401), CSRF token on anything
 * that changes state (403), role (403). They come before any lookup, so a refusal says nothing
 * about whether a transfer exists.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { StaffUser } from './accounts';
import { field } from './form-body';
import { may, type StaffPermission } from './roles';
import type { Sessions } from './session';

export type Surface = 'page' | 'api';

export function guard(
  sessions: Sessions,
  request: FastifyRequest,
  reply: FastifyReply,
  permission: StaffPermission,
  surface: Surface,
): StaffUser | null {
  const user = sessions.user(request);
  const refuse = (status: number, message: string): null => {
    if (surface === 'api') void reply.code(status).send({ error: message });
    else if (status === 401 && request.method === 'GET')
      void reply.redirect(`/sign-in?next=${encodeURIComponent(request.url)}`, 303);
    else
      void reply
        .code(status)
        .type('text/html')
        .send(`<!doctype html><title>${status}</title><p>${message}</p><p><a href="/sign-in">Sign in</a></p>`);
    return null;
  };
  if (!user) return refuse(401, 'Sign in first.');
  if (request.method !== 'GET') {
    const presented = surface === 'api' ? request.headers['x-csrf-token'] : field(request.body, '_csrf');
    if (!sessions.csrfValid(sessions.cookie(request) ?? '', presented)) {
      request.log.warn({ user: user.id, route: request.routeOptions.url }, 'refused: missing or invalid CSRF token');
      return refuse(403, 'The form has expired or did not come from this site; reload the page and try again.');
    }
  }
  if (!may(user, permission)) {
    request.log.warn({ user: user.id, role: user.role, permission }, 'refused: role');
    return refuse(403, 'Your role does not allow this.');
  }
  return user;
}
