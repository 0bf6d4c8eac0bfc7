/**
 * Partner pages, reached by single-purpose signed links (activities/partner-links.ts): no account,
 * one action each. A forged, expired or used link is refused plainly before anything is sent.
 * Pages show the referral id only: the partner has the packet, and a link may be forwarded.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PartnerAction, PartnerLinkClaims } from '../activities/partner-links';
import type { WebContext } from './context';
import { toProblem } from './errors';
import { csrfPassed } from './csrf';
import { field } from './form-body';
import { alert, html, page, type Html } from './html';
import { localToInstant } from './local-time';
import { EVENT_FOR_ACTION, linkUsed } from './partner-link-use';

const TITLES: Record<PartnerAction, string> = {
  acknowledge: 'Acknowledge receipt of the referral',
  decline: 'Decline the referral',
  schedule: 'Accept: give the appointment',
  attended: 'Confirm the member attended',
  'no-show': 'Report that the member did not attend',
};

/** After each step, the links for the next one (each again single-purpose). */
const NEXT: Record<PartnerAction, PartnerAction[]> = {
  acknowledge: ['schedule', 'decline'],
  schedule: ['attended', 'no-show'],
  decline: [],
  attended: [],
  'no-show': [],
};

export function partnerRoutes(app: FastifyInstance, ctx: WebContext): void {
  const send = (reply: FastifyReply, status: number, title: string, body: Html = html``) =>
    reply.code(status).type('text/html').send(page({ title }, body));

  /** The link's claims when it may still be used; otherwise the refusal has been sent. */
  const usableLink = async (request: FastifyRequest, reply: FastifyReply): Promise<PartnerLinkClaims | null> => {
    const token = (request.params as { token: string }).token;
    const check = ctx.partnerLinks.check(token);
    if (!check.ok) {
      request.log.warn({ why: check.why }, 'partner link refused');
      if (check.why === 'expired')
        await send(reply, 410, 'This link has expired', html`<p>Please contact the sending program for a new one.</p>`);
      else await send(reply, 403, 'This link is not valid');
      return null;
    }
    let state;
    try {
      state = await ctx.service.getTransfer(check.claims.referralId);
    } catch (err) {
      if (toProblem(err)?.status !== 404) throw err;
      await send(reply, 404, 'This referral is no longer on record');
      return null;
    }
    if (linkUsed(state, check.claims)) {
      await send(
        reply,
        409,
        'This link has already been used',
        html`<p>Nothing was changed. Each link works once.</p>`,
      );
      return null;
    }
    return check.claims;
  };

  app.get('/partner/:token', async (request, reply) => {
    const link = await usableLink(request, reply);
    if (!link) return reply;
    const token = (request.params as { token: string }).token;
    return send(reply, 200, TITLES[link.action], partnerForm(link, token, reply.generateCsrf({ userInfo: token })));
  });

  app.post('/partner/:token', async (request, reply) => {
    const token = (request.params as { token: string }).token;
    // Checked first: the token is bound to the link, so it proves the form came from its page.
    if (!csrfPassed(request, reply)) return reply;
    const link = await usableLink(request, reply);
    if (!link) return reply;
    const event = {
      type: EVENT_FOR_ACTION[link.action],
      actor: { role: 'partner', id: link.providerId },
      ...(link.action === 'decline' ? { reason: field(request.body, 'reason') ?? '' } : {}),
      ...(link.action === 'schedule'
        ? {
            appointmentAt: localToInstant(field(request.body, 'appointmentAt'), ctx.timeZone),
            location: field(request.body, 'location'),
          }
        : {}),
    };
    try {
      await ctx.service.sendEvent(link.referralId, event);
    } catch (err) {
      const problem = toProblem(err);
      if (!problem) throw err;
      const detail = Object.entries(problem.errors)
        .map(([f, m]) => `${f}: ${m}`)
        .join('; ');
      return send(
        reply,
        problem.status,
        TITLES[link.action],
        html`${alert('error', detail || problem.message)}
        ${partnerForm(link, token, reply.generateCsrf({ userInfo: token }))}`,
      );
    }
    request.log.info(
      { referralId: link.referralId, providerId: link.providerId, action: link.action },
      'partner action',
    );
    const next = NEXT[link.action].map((a) => ({
      action: a,
      url: ctx.partnerLinks.url(link.referralId, link.providerId, a),
    }));
    return send(
      reply,
      200,
      'Thank you',
      html`${alert(
        'success',
        `Recorded for referral ${link.referralId}: ${TITLES[link.action].toLowerCase()}.`,
        'partner-done',
      )}
      ${
        next.length
          ? html`<p>Next steps (each link works once; keep this page or bookmark them):</p>
              <ul>
                ${next.map((n) => html`<li><a class="next-link" data-action="${n.action}" href="${n.url}">${TITLES[n.action]}</a></li>`)}
              </ul>`
          : ''
      }`,
    );
  });
}

function partnerForm(link: PartnerLinkClaims, token: string, csrf: string): Html {
  const fieldsFor: Record<PartnerAction, Html> = {
    acknowledge: html`<p>Confirm that you received the referral packet.</p>`,
    decline: html`<label class="usa-label" for="reason">Reason</label
      ><textarea class="usa-textarea" id="reason" name="reason" rows="3" cols="60"></textarea>`,
    schedule: html`<label class="usa-label" for="appointmentAt">Appointment date and time</label
      ><input class="usa-input" id="appointmentAt" name="appointmentAt" type="datetime-local" step="1" />
      <label class="usa-label" for="location">Location (optional)</label
      ><input class="usa-input" id="location" name="location" />`,
    attended: html`<p>Confirm that the member attended the first appointment.</p>`,
    'no-show': html`<p>Report that the member did not attend the appointment.</p>`,
  };
  return html`<p>Referral ${link.referralId}</p>
    <form method="post" action="/partner/${token}" novalidate>
      <input type="hidden" name="_csrf" value="${csrf}" />${fieldsFor[link.action]}
      <p><button class="usa-button" type="submit">${TITLES[link.action]}</button></p>
    </form>`;
}
