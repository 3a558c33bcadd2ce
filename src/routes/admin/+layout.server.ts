import { pageError } from '$lib/server/forms';
import { authorize, canChangeRoles, canManageMembership, canManageOrganisations, canReadAccessibilityReports, canReadAuditLog } from '$lib/server/policy';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async (event) => {
	try {
		authorize(canManageMembership(event.locals.actor), event.locals.actor, 'administration');
	} catch (err) {
		pageError(event, err);
	}
	const actor = event.locals.actor;
	return {
		adminSections: {
			users: canChangeRoles(actor),
			reports: canReadAccessibilityReports(actor),
			organisations: canManageOrganisations(actor),
			audit: canReadAuditLog(actor)
		}
	};
};
