/**
 * THE place that decides who may see or do what. Pages, form actions, the JSON API and socket
 * handlers ask here and nowhere else. Guests are an actor object, never `null`, so no rule has to
 * remember the signed-out case. Checks are verbs (`canInvite`); write paths use the throwing
 * `authorize` twin so a forgotten check cannot fall through silently.
 */
import { sql, type ExpressionBuilder, type Expression, type SqlBool } from 'kysely';
import type { Database, ReactionKind, Role, Visibility } from './db/schema';

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

// ---- Forum ------------------------------------------------------------------------------------

export interface ThreadFacts {
	visibility: Visibility;
	locked: boolean;
}

export interface PostFacts {
	author_id: number;
	deleted_at: Date | string | null;
}

/** Members-only threads do not exist for guests: callers answer 404, never 403. */
export function canSeeThread(actor: Actor, thread: Pick<ThreadFacts, 'visibility'>): boolean {
	return thread.visibility === 'public' || isMember(actor);
}

/**
 * The list-side twin of canSeeThread, for every query that touches threads (lists, counts, latest
 * activity, feeds, API, search): `.where(visibleThreads(actor))` on a query with `threads` in scope.
 */
export function visibleThreads(actor: Actor) {
	return (eb: ExpressionBuilder<Database, 'threads'>): Expression<SqlBool> =>
		isMember(actor) ? sql<SqlBool>`true` : eb('threads.visibility', '=', 'public');
}

export const canStartThread = (actor: Actor) => isMember(actor);

/** Members may choose members-only visibility; guests never post at all. */
export const canChooseVisibility = (actor: Actor, _visibility: Visibility) => isMember(actor);

export function canReply(actor: Actor, thread: ThreadFacts): boolean {
	return isMember(actor) && canSeeThread(actor, thread) && (!thread.locked || isModerator(actor));
}

function ownsPost(actor: Actor, post: PostFacts): boolean {
	return actor.kind === 'user' && actor.id === post.author_id;
}

/** Authors edit their own live posts (unless the thread is locked); moderators edit any. */
export function canEditPost(actor: Actor, thread: ThreadFacts, post: PostFacts): boolean {
	if (!canSeeThread(actor, thread)) return false;
	if (isModerator(actor)) return true;
	return ownsPost(actor, post) && !post.deleted_at && !thread.locked;
}

export function canDeletePost(actor: Actor, thread: ThreadFacts, post: PostFacts): boolean {
	return canEditPost(actor, thread, post);
}

/** Deleted posts keep their revisions for moderators only; live ones show history to all readers. */
export function canSeePostHistory(actor: Actor, thread: ThreadFacts, post: PostFacts): boolean {
	return canSeeThread(actor, thread) && (!post.deleted_at || isModerator(actor));
}

/** One reaction of each kind per member, never on one's own post or a deleted one. */
export function canReact(actor: Actor, thread: ThreadFacts, post: PostFacts, _kind: ReactionKind): boolean {
	return isMember(actor) && canSeeThread(actor, thread) && !post.deleted_at && !ownsPost(actor, post);
}

/** Read positions and personal API tokens belong to members. */
export const canTrackReading = (actor: Actor) => isMember(actor);
export const canManageApiTokens = (actor: Actor) => isMember(actor);

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
