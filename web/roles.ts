/** What each staff role may do: the one place web routes ask. */
import type { ActorRole } from '../domain/events';
import type { StaffRole, StaffUser } from './accounts';

/** `report`: the audit reports (docs/reports.md), for managers. `access`: sessions and API tokens, for admins. */
export type StaffPermission = 'read' | 'start' | 'send-event' | 'withdraw' | 'report' | 'access';

const PERMISSIONS: Record<StaffRole, StaffPermission[]> = {
  intake: ['read', 'start', 'send-event'],
  manager: ['read', 'start', 'send-event', 'withdraw', 'report'],
  admin: ['read', 'start', 'send-event', 'withdraw', 'report', 'access'],
};

export const may = (user: StaffUser, permission: StaffPermission): boolean =>
  PERMISSIONS[user.role].includes(permission);

/** The role events carry: the workflow knows intake staff and managers; admins act as managers. */
export function actorFor(user: StaffUser): { role: ActorRole; id: string } {
  return { role: user.role === 'intake' ? 'intake' : 'manager', id: user.id };
}
