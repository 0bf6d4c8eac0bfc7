/**
 * A staff page that asks and answers in one place (the accounting of disclosures, the reports):
 * the form alone until something is asked, then the form and the answer, or the form again with
 * each problem beside its field.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { WebContext } from './context';
import { toProblem } from './errors';
import { alert, html, page, type Html } from './html';
import type { StaffPermission } from './roles';
import { guard } from './staff-auth';

export interface LookupPage {
  permission: StaffPermission;
  title: string;
  /** Whether the request asks for an answer (the form's main field is present). */
  asked: boolean;
  form(errors: Record<string, string>): Html;
  answer(): Promise<Html>;
}

export async function sendLookupPage(
  ctx: WebContext,
  req: FastifyRequest,
  reply: FastifyReply,
  p: LookupPage,
): Promise<FastifyReply> {
  const user = await guard(ctx.sessions, req, reply, p.permission, 'page');
  if (!user) return reply;
  const chrome = ctx.sessions.chrome(reply, user, p.title);
  const send = (status: number, body: Html) => reply.code(status).type('text/html').send(page(chrome, body));
  if (!p.asked) return send(200, p.form({}));
  try {
    const answer = await p.answer();
    return send(200, html`${p.form({})}${answer}`);
  } catch (err) {
    const problem = toProblem(err);
    if (!problem) throw err;
    return send(problem.status, html`${alert('error', problem.message)} ${p.form(problem.errors)}`);
  }
}
