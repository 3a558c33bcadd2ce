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
	| {
			kind: 'user';
			id: number;
			role: Role;
			organisationId: number;
			/**
			 * Set when a moderator suspended the member. Sessions may not carry it, so write paths load
			 * it fresh from the database (`withStanding` in moderation/standing.ts) before asking here.
			 */
			suspendedUntil?: Date | string | null;
	  };

export const GUEST: Actor = Object.freeze({ kind: 'guest' });

/** A signed-in actor, once policy has ruled out guests. */
export type Member = Extract<Actor, { kind: 'user' }>;

/** The actor for a signed-in user (pages, sockets): one place that knows what an actor carries. */
export function memberActor(user: { id: number; role: Role; organisationId: number; suspendedUntil?: Date | string | null }): Actor {
	return { kind: 'user', id: user.id, role: user.role, organisationId: user.organisationId, suspendedUntil: user.suspendedUntil ?? null };
}

const RANK: Record<Role, number> = { participant: 1, moderator: 2, admin: 3 };

function hasRole(actor: Actor, role: Role): actor is Member {
	return actor.kind === 'user' && RANK[actor.role] >= RANK[role];
}

export const isMember = (actor: Actor): actor is Member =>
	actor.kind === 'user';
// A plain boolean, not a type guard: its `false` must not narrow a participant away.
export const isModerator = (actor: Actor): boolean => hasRole(actor, 'moderator');

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

/**
 * Looking members up by name or handle (the editor's @-mention suggestions) lists people in bulk,
 * which a profile link does not: members only, like mentioning itself.
 */
export const canSuggestMembers = (actor: Actor) => isMember(actor);

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

/**
 * What every decision about a post is made on. The write paths load these through the same
 * column list as the pages (forum/post-facts.ts), so a write cannot be decided on fewer facts
 * than the page that offered it.
 */
export interface PostFacts {
	author_id: number;
	deleted_at: Date | string | null;
	/** Set while a moderator keeps the post hidden. */
	hidden_at: Date | string | null;
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

/**
 * What a reader gets of one post: its words (`full`; a hidden post's author and the moderators get
 * them too, marked as hidden), its place in the thread without its words (`placeholder`: deleted,
 * or hidden from this reader — numbers never shift), or `none`: a thread the reader may not see,
 * whose posts they must not learn exist.
 */
export type PostSight = 'full' | 'placeholder' | 'none';

export function postSight(actor: Actor, thread: Pick<ThreadFacts, 'visibility'>, post: PostFacts): PostSight {
	if (!canSeeThread(actor, thread)) return 'none';
	if (post.deleted_at) return 'placeholder';
	if (post.hidden_at && !canSeeHiddenPost(actor, post)) return 'placeholder';
	return 'full';
}

/** Whether the reader sees the post's words (see postSight). */
export function canSeePost(actor: Actor, thread: Pick<ThreadFacts, 'visibility'>, post: PostFacts): boolean {
	return postSight(actor, thread, post) === 'full';
}

/**
 * The list-side twin of canSeePost, for lists of posts that keep no placeholders — feeds, search,
 * post counts: `.where(visiblePosts(actor))` on a query with `posts` and `threads` in scope. A
 * thread's own pages (the page, the API's posts of a thread, socket events) keep every post's place
 * and shape each row with postSight instead.
 */
export function visiblePosts(actor: Actor) {
	return (eb: ExpressionBuilder<Database, 'posts' | 'threads'>): Expression<SqlBool> => {
		const conditions: Expression<SqlBool>[] = [eb('posts.deleted_at', 'is', null)];
		if (actor.kind === 'guest') conditions.push(eb('threads.visibility', '=', 'public'), eb('posts.hidden_at', 'is', null));
		else if (!isModerator(actor)) conditions.push(eb.or([eb('posts.hidden_at', 'is', null), eb('posts.author_id', '=', actor.id)]));
		return eb.and(conditions);
	};
}

export const canStartThread = (actor: Actor) => isMember(actor) && !isSuspended(actor);

export function canReply(actor: Actor, thread: ThreadFacts): boolean {
	return isMember(actor) && !isSuspended(actor) && canSeeThread(actor, thread) && (!thread.locked || isModerator(actor));
}

function ownsPost(actor: Actor, post: PostFacts): boolean {
	return actor.kind === 'user' && actor.id === post.author_id;
}

/**
 * Authors edit their own live posts (unless the thread is locked, or they are suspended: rewriting
 * a post is writing it anew); moderators edit any.
 */
export function canEditPost(actor: Actor, thread: ThreadFacts, post: PostFacts): boolean {
	return canDeletePost(actor, thread, post) && (isModerator(actor) || !isSuspended(actor));
}

/** Deleting adds no words, so a suspended author may still take a post of theirs down. */
export function canDeletePost(actor: Actor, thread: ThreadFacts, post: PostFacts): boolean {
	if (!canSeeThread(actor, thread)) return false;
	if (isModerator(actor)) return true;
	return ownsPost(actor, post) && !post.deleted_at && !thread.locked;
}

/**
 * A post's history is its words over time: whoever sees its words sees the history; deleted and
 * hidden posts keep theirs for moderators (and a hidden post's author, who still sees its words).
 */
export function canSeePostHistory(actor: Actor, thread: ThreadFacts, post: PostFacts): boolean {
	return isModerator(actor) ? canSeeThread(actor, thread) : canSeePost(actor, thread, post);
}

/** Reactions go to others' posts whose words the member sees, never to a hidden one (not even by a moderator: the post is off the page). */
export function canReact(actor: Actor, thread: ThreadFacts, post: PostFacts, _kind: ReactionKind): boolean {
	return inGoodStanding(actor) && canSeePost(actor, thread, post) && !post.hidden_at && !ownsPost(actor, post);
}

/**
 * Quoting (a reply's `replyTo`, the "Citera" button) republishes a post's words in a new post, so
 * a hidden or deleted post is never quoted — not by its author nor by a moderator, or quoting
 * would undo the hiding.
 */
export function canQuote(actor: Actor, thread: ThreadFacts, post: PostFacts): boolean {
	return canReply(actor, thread) && canSeePost(actor, thread, post) && !post.hidden_at;
}

/**
 * Following a thread or a theme (watching, tracking, normal, muted) is for members, and only of
 * what they can see: following is how notifications about it are chosen, so it may not reveal
 * anything either.
 */
export function canFollow(actor: Actor, target: Pick<ThreadFacts, 'visibility'> | { kind: 'theme' }): boolean {
	if (!isMember(actor)) return false;
	return 'visibility' in target ? canSeeThread(actor, target) : true;
}

/** A member's own notification centre (read, mark read, preferences). */
export const canReadNotifications = (actor: Actor) => isMember(actor);

/**
 * The notification list's visibility filter for *many* recipients at once (the live unread count
 * after a write), on a query with `notifications`, `recipient` (users) and left-joined `posts`,
 * `threads` and `wiki_pages`. It must say exactly what `visibleThreads(r)`, `visiblePosts(r)` and
 * `visibleWikiPages(r)` say for each recipient r: recipients are members, who see every thread and
 * wiki page, and a post's words while it is not deleted and not hidden, unless they wrote it or
 * moderate. (Tests compare both ways of counting.)
 */
export function visibleToRecipient() {
	return sql<SqlBool>`(notifications.post_id is null or (posts.deleted_at is null and (posts.hidden_at is null or posts.author_id = recipient.id or recipient.role in ('moderator', 'admin'))))`;
}

/** Read positions and personal API tokens belong to members. */
export const canTrackReading = (actor: Actor) => isMember(actor);
export const canManageApiTokens = (actor: Actor) => isMember(actor);

// ---- Curation, wiki and moderation (issue #5) ---------------------------------------------------

/**
 * A suspended member still reads, but does not post, reply, react, nominate, report or propose
 * edits. Every such rule above and below asks this, so the suspension lives in one place.
 */
export function isSuspended(actor: Actor, now: Date = new Date()): boolean {
	return actor.kind === 'user' && suspensionRuns(actor.suspendedUntil, now);
}

/** A suspension with an end date in the past has simply run out. */
export function suspensionRuns(until: Date | string | null | undefined, now: Date = new Date()): boolean {
	return until != null && new Date(until) > now;
}

/** Why a member is suspended and by whom is for moderators; everyone sees that they are. */
export const canSeeSuspensionDetails = (actor: Actor) => hasRole(actor, 'moderator');

/** A signed-in member who is not suspended: the bar for every contribution. */
const inGoodStanding = (actor: Actor): actor is Member => isMember(actor) && !isSuspended(actor);

/** Hidden posts stay readable, marked, for their author and the moderators; others get a placeholder. */
export function canSeeHiddenPost(actor: Actor, post: Pick<PostFacts, 'author_id'>): boolean {
	return (actor.kind === 'user' && actor.id === post.author_id) || isModerator(actor);
}

/** Members nominate others' posts whose words they see; not their own (like reactions), never a hidden one. */
export function canNominate(actor: Actor, thread: Pick<ThreadFacts, 'visibility'>, post: PostFacts): boolean {
	return inGoodStanding(actor) && canSeePost(actor, thread, post) && !post.hidden_at && actor.id !== post.author_id;
}

/** Only the nominator takes back a nomination, and only while it waits for a decision. */
export function canWithdrawNomination(actor: Actor, nomination: { nominator_id: number; status: string }): boolean {
	return actor.kind === 'user' && actor.id === nomination.nominator_id && nomination.status === 'pending';
}

/** The curation queue: nominations, reports and proposed edits are decided by moderators. */
export const canCurate = (actor: Actor) => hasRole(actor, 'moderator');

/** A post becomes a wiki source only with words every reader of the forum may see: never a hidden one. */
export function canPromotePost(actor: Actor, thread: Pick<ThreadFacts, 'visibility'>, post: PostFacts): boolean {
	return canCurate(actor) && canSeePost(actor, thread, post) && !post.hidden_at;
}

export interface WikiPageFacts {
	visibility: Visibility;
}

/** Members-only wiki pages do not exist for guests (404, never 403), just like threads. */
export function canSeeWikiPage(actor: Actor, page: WikiPageFacts): boolean {
	return page.visibility === 'public' || isMember(actor);
}

/** The list-side twin of canSeeWikiPage: `.where(visibleWikiPages(actor))` with `wiki_pages` in scope. */
export function visibleWikiPages(actor: Actor) {
	return (eb: ExpressionBuilder<Database, 'wiki_pages'>): Expression<SqlBool> =>
		isMember(actor) ? sql<SqlBool>`true` : eb('wiki_pages.visibility', '=', 'public');
}

/** Moderators and admins edit the wiki directly; members propose edits to the curation queue. */
export const canEditWiki = (actor: Actor) => hasRole(actor, 'moderator');

export function canProposeWikiEdit(actor: Actor, page: WikiPageFacts): boolean {
	return inGoodStanding(actor) && canSeeWikiPage(actor, page);
}

/** Abuse reports on others' posts whose words the member sees (a placeholder gives nothing to report). */
export function canReport(actor: Actor, thread: Pick<ThreadFacts, 'visibility'>, post: PostFacts): boolean {
	return inGoodStanding(actor) && canSeePost(actor, thread, post) && actor.id !== post.author_id;
}

/** Hide/unhide posts, lock, pin and move threads, decide reports. */
export const canModerate = (actor: Actor) => hasRole(actor, 'moderator');

/** Suspending needs a higher role than the target's (moderators suspend participants, admins moderators). */
export function canSuspend(actor: Actor, target: { id: number; role: Role }): boolean {
	return hasRole(actor, 'moderator') && actor.id !== target.id && RANK[target.role] < RANK[actor.role];
}

export const canReadAuditLog = (actor: Actor) => hasRole(actor, 'admin');

export class PolicyError extends Error {
	readonly status: 401 | 403;
	/**
	 * Why, when the member can do something about it or deserves to know: a suspended member is told
	 * until when, instead of a bare "not allowed" (write paths load the standing before asking).
	 */
	readonly reason?: { key: string; params: Record<string, Date> };
	constructor(actor: Actor, what: string) {
		super(`Not allowed: ${what}`);
		this.status = actor.kind === 'guest' ? 401 : 403;
		if (actor.kind === 'user' && isSuspended(actor)) {
			this.reason = { key: 'suspension_refused', params: { until: new Date(actor.suspendedUntil!) } };
		}
	}
}

/** Throwing twin of the checks, for write paths: `authorize(canInvite(actor, role), actor, "invite")`. */
export function authorize(allowed: boolean, actor: Actor, what: string): asserts allowed {
	if (!allowed) throw new PolicyError(actor, what);
}
