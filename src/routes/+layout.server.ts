import { countPendingApplications } from '$lib/server/membership/applications';
import { pendingQueueCount } from '$lib/server/curation/queue';
import { unreadNotificationCount } from '$lib/server/notifications/notifications';
import { canCurate, canManageMembership, isSuspended } from '$lib/server/policy';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals }) => {
	const { db } = locals;
	const user = locals.user;
	return {
		locale: locals.locale,
		user: user
			? {
					id: user.id,
					name: user.name,
					role: user.role,
					organisationName: user.organisationName,
					suspendedUntil: isSuspended(locals.actor) && user.suspendedUntil ? new Date(user.suspendedUntil).toISOString() : null
				}
			: null,
		canAdminister: canManageMembership(locals.actor),
		pendingApplications: await countPendingApplications(db, locals.actor),
		canCurate: canCurate(locals.actor),
		pendingReview: await pendingQueueCount(db, locals.actor),
		unreadNotifications: await unreadNotificationCount(db, locals.actor)
	};
};
