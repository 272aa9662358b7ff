import { ROLES, type Role } from '../../schema';
import type { Db } from '../db';
import { findMember, listMembers, removeMembership, setRole } from '../db/members';
import { AppError } from '../lib/errors';
import { createInvite } from './auth';

/**
 * Who may do what with a workspace's members (issue 14): owners everything; admins invite, change
 * and remove admins and members but never touch an owner or make one; members nothing. A
 * workspace always keeps an owner. Another workspace's person is NOT_FOUND, never FORBIDDEN:
 * nothing tells whether they exist.
 */
export interface Actor {
  personId: string;
  workspaceId: string;
  role: Role;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Admin pages and their POSTs: owners and admins only. */
export function requireManager(actor: Actor): void {
  if (actor.role === 'member') throw new AppError('FORBIDDEN', 'Members cannot manage the workspace.');
}

/** The roles this actor may hand out. */
export function assignableRoles(actor: Actor): Role[] {
  return actor.role === 'owner' ? [...ROLES] : actor.role === 'admin' ? ['admin', 'member'] : [];
}

export async function membersOf(db: Db, actor: Actor) {
  requireManager(actor);
  return listMembers(db, actor.workspaceId);
}

/** An invitation link for `email` with `role` (7 days, once). */
export async function inviteMember(db: Db, actor: Actor, input: { email: string; role: Role; now: Date; publicUrl: string }): Promise<string> {
  requireManager(actor);
  if (!assignableRoles(actor).includes(input.role)) throw new AppError('FORBIDDEN', 'Only owners can invite owners.');
  return createInvite(db, { workspaceId: actor.workspaceId, email: input.email, role: input.role, now: input.now, publicUrl: input.publicUrl });
}

async function manageableTarget(db: Db, actor: Actor, personId: string) {
  requireManager(actor);
  const target = await findMember(db, actor.workspaceId, personId);
  if (!target) throw new AppError('NOT_FOUND', 'No such member in this workspace.');
  if (target.role === 'owner' && actor.role !== 'owner') throw new AppError('FORBIDDEN', 'Only owners can change or remove an owner.');
  return target;
}

export async function changeRole(db: Db, actor: Actor, personId: string, role: Role): Promise<void> {
  await manageableTarget(db, actor, personId);
  if (!assignableRoles(actor).includes(role)) throw new AppError('FORBIDDEN', 'Only owners can make someone an owner.');
  if (!(await setRole(db, actor.workspaceId, personId, role))) throw new AppError('CONFLICT', 'A workspace needs an owner.');
}

export async function removeMember(db: Db, actor: Actor, personId: string): Promise<void> {
  await manageableTarget(db, actor, personId);
  if (!(await removeMembership(db, actor.workspaceId, personId))) throw new AppError('CONFLICT', 'A workspace needs an owner.');
}

/** Leaves the workspace (any role); the last owner cannot. */
export async function leaveWorkspace(db: Db, actor: Actor): Promise<void> {
  if (!(await removeMembership(db, actor.workspaceId, actor.personId))) throw new AppError('CONFLICT', 'A workspace needs an owner.');
}
