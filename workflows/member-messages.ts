/**
 * Every message to the member goes this way (DESIGN.md, "Messages to members"): never in the
 * member's quiet hours, never over the daily and weekly caps. Each runs beside the transfer, so a
 * message held until morning holds nothing else up; one no longer due by then (the consent came
 * in, the stage moved on) is not sent. A capped message leaves a note in the timeline.
 */
import * as wf from '@temporalio/workflow';
import { outsideQuietHours, subtractHours } from '../domain/calendar';
import type { Notice, NoticeKind } from '../domain/notices';
import type { Policy } from '../domain/policy';
import { withinReminderCaps } from '../domain/reminder-caps';
import type { Member } from '../domain/transfer';

export interface MemberMessagesHost {
  policy: Policy;
  member: Member;
  /** Runs work beside the transfer, cancelled when it ends. */
  inBackground(work: () => Promise<void>): void;
  notifyMember(kind: NoticeKind, key: string, facts: Notice['facts']): Promise<void>;
  note(text: string): void;
}

export class MemberMessages {
  /** When the member was texted or emailed: the caps count these. */
  private readonly sent: Date[] = [];

  constructor(private readonly host: MemberMessagesHost) {}

  send(kind: NoticeKind, key: string, facts: Notice['facts'], what: string, stillDue: () => boolean): void {
    const { policy, member } = this.host;
    this.host.inBackground(async () => {
      const { quietHoursStart, quietHoursEnd, remindersPerDay, remindersPerWeek } = policy.memberMessages;
      const sendAt = outsideQuietHours(now(), member.timeZone, quietHoursStart, quietHoursEnd);
      if (sendAt > now()) await wf.sleep(sendAt.getTime() - now().getTime());
      if (!stillDue()) return;
      const caps = { perDay: remindersPerDay, perWeek: remindersPerWeek };
      if (!withinReminderCaps(now(), this.sent, caps, member.timeZone)) {
        this.host.note(`${what} not sent: the member's reminder cap is reached`);
        return;
      }
      this.sent.push(now());
      await this.host.notifyMember(kind, key, facts);
    });
  }

  /**
   * Seed step vi: reminders before the appointment. Times already past collapse into one, sent
   * now; `stillScheduled` turns false when the appointment moves, and the rest are dropped.
   */
  async remindOfAppointment(appointmentAt: Date, stillScheduled: () => boolean): Promise<void> {
    const { policy, member } = this.host;
    const { appointmentRemindersBefore, quietHoursStart, quietHoursEnd } = policy.memberMessages;
    const quiet = (at: Date) => outsideQuietHours(at, member.timeZone, quietHoursStart, quietHoursEnd);
    const times = appointmentRemindersBefore
      .map((before) => quiet(subtractHours(appointmentAt, before, policy.calendar)))
      .filter((at) => at < appointmentAt)
      .sort((a, b) => a.getTime() - b.getTime());
    const due = times.filter((at, i) => at >= now() || !times.slice(i + 1).some((later) => later < now()));
    const appointment = appointmentAt.toISOString();
    for (const [i, at] of due.entries()) {
      if (at > now()) await wf.sleep(at.getTime() - now().getTime());
      if (quiet(now()) >= appointmentAt) return;
      const stillDue = () => stillScheduled() && now() < appointmentAt;
      this.send(
        'appointment-reminder',
        `${appointment}-${i + 1}`,
        { appointmentAt: appointment },
        `appointment reminder ${i + 1}`,
        stillDue,
      );
    }
  }
}

function now(): Date {
  return new Date(); // the workflow clock: deterministic inside workflows
}
