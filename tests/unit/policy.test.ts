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
