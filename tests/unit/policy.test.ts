import { describe, expect, it } from 'vitest';
import type { Role } from '../../src/lib/server/db/schema';
import * as policy from '../../src/lib/server/policy';
import { GUEST, type Actor } from '../../src/lib/server/policy';

const actors: Record<'guest' | Role, Actor> = {
	guest: GUEST,
	participant: { kind: 'user', id: 1, role: 'participant', organisationId: 10 },
	moderator: { kind: 'user', id: 2, role: 'moderator', organisationId: 10 },
	admin: { kind: 'user', id: 3, role: 'admin', organisationId: 11 }
};

// The whole account rule book as a matrix: role × action → allowed.
const matrix: [string, (a: Actor) => boolean, Record<keyof typeof actors, boolean>][] = [
	['invite a participant', (a) => policy.canInvite(a, 'participant'), { guest: false, participant: false, moderator: true, admin: true }],
	['invite a moderator', (a) => policy.canInvite(a, 'moderator'), { guest: false, participant: false, moderator: false, admin: true }],
	['invite an admin', (a) => policy.canInvite(a, 'admin'), { guest: false, participant: false, moderator: false, admin: true }],
	['manage membership', policy.canManageMembership, { guest: false, participant: false, moderator: true, admin: true }],
	['change roles', policy.canChangeRoles, { guest: false, participant: false, moderator: false, admin: true }],
	['manage organisations', policy.canManageOrganisations, { guest: false, participant: false, moderator: false, admin: true }],
	['read accessibility reports', policy.canReadAccessibilityReports, { guest: false, participant: false, moderator: false, admin: true }],
	['report an accessibility barrier', policy.canReportAccessibilityBarrier, { guest: true, participant: true, moderator: true, admin: true }],
	['see a profile', policy.canSeeProfile, { guest: true, participant: true, moderator: true, admin: true }],
	['see member lists', policy.canSeeMemberList, { guest: false, participant: true, moderator: true, admin: true }],
	['edit own account (id 1)', (a) => policy.canEditAccount(a, 1), { guest: false, participant: true, moderator: false, admin: false }],
	['see e-mail of user 1', (a) => policy.canSeeEmail(a, 1), { guest: false, participant: true, moderator: true, admin: true }]
];

describe('policy matrix', () => {
	for (const [action, check, expected] of matrix) {
		for (const [role, actor] of Object.entries(actors)) {
			it(`${role} ${expected[role as keyof typeof actors] ? 'may' : 'may not'} ${action}`, () => {
				expect(check(actor)).toBe(expected[role as keyof typeof actors]);
			});
		}
	}

	it('authorize throws 401 for guests and 403 for members', () => {
		expect(() => policy.authorize(false, GUEST, 'x')).toThrow(expect.objectContaining({ status: 401 }));
		expect(() => policy.authorize(false, actors.participant, 'x')).toThrow(expect.objectContaining({ status: 403 }));
		expect(() => policy.authorize(true, GUEST, 'x')).not.toThrow();
	});
});

describe('forum policy matrix: role × thread visibility', () => {
	const open = { visibility: 'public' as const, locked: false };
	const closed = { visibility: 'members' as const, locked: false };
	const locked = { visibility: 'public' as const, locked: true };
	const ownPost = { author_id: 1, deleted_at: null, hidden_at: null };
	const othersPost = { author_id: 99, deleted_at: null, hidden_at: null };
	const deletedOwn = { author_id: 1, deleted_at: new Date(), hidden_at: null };

	const rows: [string, (a: Actor) => boolean, Record<keyof typeof actors, boolean>][] = [
		['see a public thread', (a) => policy.canSeeThread(a, open), { guest: true, participant: true, moderator: true, admin: true }],
		['see a members-only thread', (a) => policy.canSeeThread(a, closed), { guest: false, participant: true, moderator: true, admin: true }],
		['start a thread', policy.canStartThread, { guest: false, participant: true, moderator: true, admin: true }],
		['reply in a public thread', (a) => policy.canReply(a, open), { guest: false, participant: true, moderator: true, admin: true }],
		['reply in a members-only thread', (a) => policy.canReply(a, closed), { guest: false, participant: true, moderator: true, admin: true }],
		['reply in a locked thread', (a) => policy.canReply(a, locked), { guest: false, participant: false, moderator: true, admin: true }],
		['edit post of user 1', (a) => policy.canEditPost(a, open, ownPost), { guest: false, participant: true, moderator: true, admin: true }],
		["edit someone else's post", (a) => policy.canEditPost(a, open, othersPost), { guest: false, participant: false, moderator: true, admin: true }],
		['edit own post in a locked thread', (a) => policy.canEditPost(a, locked, ownPost), { guest: false, participant: false, moderator: true, admin: true }],
		['edit own deleted post', (a) => policy.canEditPost(a, open, deletedOwn), { guest: false, participant: false, moderator: true, admin: true }],
		["delete someone else's post", (a) => policy.canDeletePost(a, open, othersPost), { guest: false, participant: false, moderator: true, admin: true }],
		['react to own post (user 1)', (a) => policy.canReact(a, open, ownPost, 'like'), { guest: false, participant: false, moderator: true, admin: true }],
		["react to someone else's post", (a) => policy.canReact(a, open, othersPost, 'like'), { guest: false, participant: true, moderator: true, admin: true }],
		["react in a members-only thread", (a) => policy.canReact(a, closed, othersPost, 'thanks'), { guest: false, participant: true, moderator: true, admin: true }],
		['see history of a deleted post', (a) => policy.canSeePostHistory(a, open, deletedOwn), { guest: false, participant: false, moderator: true, admin: true }],
		['see history of a live post', (a) => policy.canSeePostHistory(a, open, othersPost), { guest: true, participant: true, moderator: true, admin: true }],
		['track reading', policy.canTrackReading, { guest: false, participant: true, moderator: true, admin: true }],
		['manage API tokens', policy.canManageApiTokens, { guest: false, participant: true, moderator: true, admin: true }]
	];
	for (const [action, check, expected] of rows) {
		for (const [role, actor] of Object.entries(actors)) {
			it(`${role} ${expected[role as keyof typeof actors] ? 'may' : 'may not'} ${action}`, () => {
				expect(check(actor)).toBe(expected[role as keyof typeof actors]);
			});
		}
	}
});

describe('curation, wiki and moderation policy matrix (issue #5)', () => {
	const open = { visibility: 'public' as const, locked: false };
	const closed = { visibility: 'members' as const, locked: false };
	const othersPost = { author_id: 99, deleted_at: null, hidden_at: null };
	const ownPost = { author_id: 1, deleted_at: null, hidden_at: null };
	const hiddenPost = { author_id: 99, deleted_at: null, hidden_at: new Date() };
	const deletedPost = { author_id: 99, deleted_at: new Date(), hidden_at: null };
	const publicPage = { visibility: 'public' as const };
	const membersPage = { visibility: 'members' as const };

	const rows: [string, (a: Actor) => boolean, Record<keyof typeof actors, boolean>][] = [
		["nominate someone else's post", (a) => policy.canNominate(a, open, othersPost), { guest: false, participant: true, moderator: true, admin: true }],
		['nominate in a members-only thread', (a) => policy.canNominate(a, closed, othersPost), { guest: false, participant: true, moderator: true, admin: true }],
		['nominate own post (user 1)', (a) => policy.canNominate(a, open, ownPost), { guest: false, participant: false, moderator: true, admin: true }],
		['nominate a hidden post', (a) => policy.canNominate(a, open, hiddenPost), { guest: false, participant: false, moderator: false, admin: false }],
		['nominate a deleted post', (a) => policy.canNominate(a, open, deletedPost), { guest: false, participant: false, moderator: false, admin: false }],
		['withdraw a pending nomination of user 1', (a) => policy.canWithdrawNomination(a, { nominator_id: 1, status: 'pending' }), { guest: false, participant: true, moderator: false, admin: false }],
		['withdraw a promoted nomination of user 1', (a) => policy.canWithdrawNomination(a, { nominator_id: 1, status: 'promoted' }), { guest: false, participant: false, moderator: false, admin: false }],
		['curate', policy.canCurate, { guest: false, participant: false, moderator: true, admin: true }],
		['see a public wiki page', (a) => policy.canSeeWikiPage(a, publicPage), { guest: true, participant: true, moderator: true, admin: true }],
		['see a members-only wiki page', (a) => policy.canSeeWikiPage(a, membersPage), { guest: false, participant: true, moderator: true, admin: true }],
		['edit the wiki', policy.canEditWiki, { guest: false, participant: false, moderator: true, admin: true }],
		['propose a wiki edit', (a) => policy.canProposeWikiEdit(a, publicPage), { guest: false, participant: true, moderator: true, admin: true }],
		["report someone else's post", (a) => policy.canReport(a, open, othersPost), { guest: false, participant: true, moderator: true, admin: true }],
		['report own post (user 1)', (a) => policy.canReport(a, open, ownPost), { guest: false, participant: false, moderator: true, admin: true }],
		['moderate', policy.canModerate, { guest: false, participant: false, moderator: true, admin: true }],
		['suspend a participant', (a) => policy.canSuspend(a, { id: 50, role: 'participant' }), { guest: false, participant: false, moderator: true, admin: true }],
		['suspend a moderator', (a) => policy.canSuspend(a, { id: 51, role: 'moderator' }), { guest: false, participant: false, moderator: false, admin: true }],
		['suspend an admin', (a) => policy.canSuspend(a, { id: 52, role: 'admin' }), { guest: false, participant: false, moderator: false, admin: false }],
		['read the audit log', policy.canReadAuditLog, { guest: false, participant: false, moderator: false, admin: true }],
		['see a hidden post of user 1', (a) => policy.canSeeHiddenPost(a, ownPost), { guest: false, participant: true, moderator: true, admin: true }],
		["see someone else's hidden post", (a) => policy.canSeeHiddenPost(a, hiddenPost), { guest: false, participant: false, moderator: true, admin: true }]
	];
	for (const [action, check, expected] of rows) {
		for (const [role, actor] of Object.entries(actors)) {
			it(`${role} ${expected[role as keyof typeof actors] ? 'may' : 'may not'} ${action}`, () => {
				expect(check(actor)).toBe(expected[role as keyof typeof actors]);
			});
		}
	}

	describe('a suspended member reads but does not write', () => {
		const future = new Date(Date.now() + 86_400_000);
		const past = new Date(Date.now() - 86_400_000);
		const suspended: Actor = { kind: 'user', id: 1, role: 'participant', organisationId: 10, suspendedUntil: future };
		const expired: Actor = { kind: 'user', id: 1, role: 'participant', organisationId: 10, suspendedUntil: past };
		const writes: [string, (a: Actor) => boolean][] = [
			['start a thread', policy.canStartThread],
			['reply', (a) => policy.canReply(a, open)],
			['edit their own post', (a) => policy.canEditPost(a, open, { author_id: 1, deleted_at: null, hidden_at: null })],
			['react', (a) => policy.canReact(a, open, othersPost, 'like')],
			['nominate', (a) => policy.canNominate(a, open, othersPost)],
			['report', (a) => policy.canReport(a, open, othersPost)],
			['propose a wiki edit', (a) => policy.canProposeWikiEdit(a, publicPage)]
		];
		for (const [action, check] of writes) {
			it(`may not ${action} while suspended, may again once it has expired`, () => {
				expect(check(suspended)).toBe(false);
				expect(check(expired)).toBe(true);
			});
		}
		it('still sees threads and wiki pages', () => {
			expect(policy.isSuspended(suspended)).toBe(true);
			expect(policy.canSeeThread(suspended, closed)).toBe(true);
			expect(policy.canSeeWikiPage(suspended, membersPage)).toBe(true);
		});
	});
});

describe('post visibility: what a reader gets of a post (issue 9)', () => {
	const open = { visibility: 'public' as const, locked: false };
	const closed = { visibility: 'members' as const, locked: false };
	// User 1 is the participant: `own` posts are theirs.
	const live = { author_id: 99, deleted_at: null, hidden_at: null };
	const hidden = { author_id: 99, deleted_at: null, hidden_at: new Date() };
	const ownHidden = { author_id: 1, deleted_at: null, hidden_at: new Date() };
	const deleted = { author_id: 99, deleted_at: new Date(), hidden_at: null };
	type Sight = ReturnType<typeof policy.postSight>;

	const sights: [string, policy.ThreadFacts, policy.PostFacts, Record<keyof typeof actors, Sight>][] = [
		['a live post', open, live, { guest: 'full', participant: 'full', moderator: 'full', admin: 'full' }],
		["someone else's hidden post", open, hidden, { guest: 'placeholder', participant: 'placeholder', moderator: 'full', admin: 'full' }],
		['a hidden post of user 1', open, ownHidden, { guest: 'placeholder', participant: 'full', moderator: 'full', admin: 'full' }],
		['a deleted post', open, deleted, { guest: 'placeholder', participant: 'placeholder', moderator: 'placeholder', admin: 'placeholder' }],
		['a live post in a members-only thread', closed, live, { guest: 'none', participant: 'full', moderator: 'full', admin: 'full' }],
		['a hidden post in a members-only thread', closed, hidden, { guest: 'none', participant: 'placeholder', moderator: 'full', admin: 'full' }]
	];
	for (const [what, thread, post, expected] of sights) {
		for (const [role, actor] of Object.entries(actors)) {
			const want = expected[role as keyof typeof actors];
			it(`${role} gets ${want} of ${what}`, () => {
				expect(policy.postSight(actor, thread, post)).toBe(want);
				expect(policy.canSeePost(actor, thread, post)).toBe(want === 'full');
			});
		}
	}

	const rows: [string, (a: Actor) => boolean, Record<keyof typeof actors, boolean>][] = [
		['react to a hidden post', (a) => policy.canReact(a, open, hidden, 'like'), { guest: false, participant: false, moderator: false, admin: false }],
		['react to a deleted post', (a) => policy.canReact(a, open, deleted, 'like'), { guest: false, participant: false, moderator: false, admin: false }],
		['quote a live post', (a) => policy.canQuote(a, open, live), { guest: false, participant: true, moderator: true, admin: true }],
		['quote a live post in a locked thread', (a) => policy.canQuote(a, { ...open, locked: true }, live), { guest: false, participant: false, moderator: true, admin: true }],
		['quote a hidden post', (a) => policy.canQuote(a, open, hidden), { guest: false, participant: false, moderator: false, admin: false }],
		['quote own hidden post (user 1)', (a) => policy.canQuote(a, open, ownHidden), { guest: false, participant: false, moderator: false, admin: false }],
		['quote a deleted post', (a) => policy.canQuote(a, open, deleted), { guest: false, participant: false, moderator: false, admin: false }],
		['promote a live post to the wiki', (a) => policy.canPromotePost(a, open, live), { guest: false, participant: false, moderator: true, admin: true }],
		['promote a hidden post to the wiki', (a) => policy.canPromotePost(a, open, hidden), { guest: false, participant: false, moderator: false, admin: false }],
		['promote a deleted post to the wiki', (a) => policy.canPromotePost(a, open, deleted), { guest: false, participant: false, moderator: false, admin: false }],
		["report someone else's hidden post", (a) => policy.canReport(a, open, hidden), { guest: false, participant: false, moderator: true, admin: true }],
		["see history of someone else's hidden post", (a) => policy.canSeePostHistory(a, open, hidden), { guest: false, participant: false, moderator: true, admin: true }],
		['see history of own hidden post (user 1)', (a) => policy.canSeePostHistory(a, open, ownHidden), { guest: false, participant: true, moderator: true, admin: true }]
	];
	for (const [action, check, expected] of rows) {
		for (const [role, actor] of Object.entries(actors)) {
			it(`${role} ${expected[role as keyof typeof actors] ? 'may' : 'may not'} ${action}`, () => {
				expect(check(actor)).toBe(expected[role as keyof typeof actors]);
			});
		}
	}
});
