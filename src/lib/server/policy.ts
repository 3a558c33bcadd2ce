/**
 * THE place that decides who may see or do what. Pages, form actions, the JSON API and socket
 * handlers ask here and nowhere else. Guests are an actor object, never `null`, so no rule has to
 * remember the signed-out case. Checks are verbs (`canInvite`); write paths use the throwing
 * `authorize` twin so a forgotten check cannot fall through silently.
 */
import type { Role } from './db/schema';

export type Actor =
	| { kind: 'guest' }
	| { kind: 'user'; id: number; role: Role; organisationId: number };

export const GUEST: Actor = Object.freeze({ kind: 'guest' });

const RANK: Record<Role, number> = { participant: 1, moderator: 2, admin: 3 };

function hasRole(actor: Actor, role: Role): actor is Extract<Actor, { kind: 'user' }> {
	return actor.kind === 'user' && RANK[actor.role] >= RANK[role];
}

export const isMember = (actor: Actor): actor is Extract<Actor, { kind: 'user' }> =>
	actor.kind === 'user';
export const isModerator = (actor: Actor) => hasRole(actor, 'moderator');
export const isAdmin = (actor: Actor) => hasRole(actor, 'admin');

/** Moderators bring in participants; only admins hand out moderator or admin roles. */
export function canInvite(actor: Actor, role: Role): boolean {
	if (role === 'participant') return hasRole(actor, 'moderator');
	return hasRole(actor, 'admin');
}

/** Invitations and membership applications are the moderators' desk. */
export const canManageMembership = (actor: Actor) => hasRole(actor, 'moderator');

export const canChangeRoles = (actor: Actor) => hasRole(actor, 'admin');

/** Which organisations take part in which track is programme data that admins maintain. */
export const canManageOrganisations = (actor: Actor) => hasRole(actor, 'admin');

export const canReadAccessibilityReports = (actor: Actor) => hasRole(actor, 'admin');

/** Anyone, also a guest, can report an accessibility barrier (the law asks for it). */
export const canReportAccessibilityBarrier = (_actor: Actor) => true;

/** Profiles (name, title, organisation) are public like a forum signature; e-mail is not. */
export const canSeeProfile = (_actor: Actor) => true;
export function canSeeEmail(actor: Actor, userId: number): boolean {
	return (actor.kind === 'user' && actor.id === userId) || hasRole(actor, 'moderator');
}

/** Member lists of organisations are for signed-in members; guests see how many there are. */
export const canSeeMemberList = (actor: Actor) => isMember(actor);

export function canEditAccount(actor: Actor, userId: number): boolean {
	return actor.kind === 'user' && actor.id === userId;
}

export class PolicyError extends Error {
	readonly status: 401 | 403;
	constructor(actor: Actor, what: string) {
		super(`Not allowed: ${what}`);
		this.status = actor.kind === 'guest' ? 401 : 403;
	}
}

/** Throwing twin of the checks, for write paths: `authorize(canInvite(actor, role), actor, "invite")`. */
export function authorize(allowed: boolean, actor: Actor, what: string): asserts allowed {
	if (!allowed) throw new PolicyError(actor, what);
}
