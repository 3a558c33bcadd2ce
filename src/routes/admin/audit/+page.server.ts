import { startOfSwedishDay } from '$lib/server/calendar';
import { pageError } from '$lib/server/forms';
import { queryId } from '$lib/server/input';
import { clampPage } from '$lib/input-rules';
import { translate } from '$lib/server/i18n';
import { AUDIT_ACTIONS, describeAuditEntries, listAuditActors, listAuditLog } from '$lib/server/moderation/audit';
import type { PageServerLoad } from './$types';

/** The filter is a GET form, so a filtered view is a link an admin can bookmark or share. */
export const load: PageServerLoad = async (event) => {
	await event.parent();
	const { db } = event.locals;
	const query = event.url.searchParams;
	const filter = {
		actor: query.get('actor') ?? '',
		action: query.get('action') ?? '',
		from: query.get('from') ?? '',
		to: query.get('to') ?? ''
	};
	const errors: Record<string, string> = {};
	const invalidDate = () => translate({ key: 'error_invalid' }, event.locals.locale);
	// Days are Swedish days, and "to" includes the day picked (the domain's bound is exclusive).
	const from = filter.from ? startOfSwedishDay(filter.from) : undefined;
	const to = filter.to ? startOfSwedishDay(filter.to, 1) : undefined;
	if (from === null) errors.from = invalidDate();
	if (to === null) errors.to = invalidDate();
	try {
		const log = await listAuditLog(db, event.locals.actor, {
			actorId: queryId(filter.actor),
			action: (AUDIT_ACTIONS as readonly string[]).includes(filter.action) ? filter.action : undefined,
			from: from ?? undefined,
			to: to ?? undefined,
			page: clampPage(query.get('page'))
		});
		return {
			filter,
			errors,
			filtered: Object.values(filter).some(Boolean),
			entries: await describeAuditEntries(db, event.locals.actor, log.entries),
			page: log.page,
			pageCount: log.pageCount,
			total: log.total,
			actors: await listAuditActors(db, event.locals.actor),
			actions: AUDIT_ACTIONS
		};
	} catch (err) {
		pageError(event, err);
	}
};
