/**
 * Reports of accessibility barriers, the feedback mechanism that the Swedish accessibility law
 * (lagen om tillgänglighet till digital offentlig service) requires next to the statement.
 * Anyone may report; admins read and mark them handled.
 */
import { z } from 'zod';
import type { Db } from '../db/index';
import { DomainError, parseInput } from '../errors';
import { authorize, canReadAccessibilityReports, canReportAccessibilityBarrier, type Actor } from '../policy';

const reportSchema = z.object({
	pageUrl: z.string().trim().min(1).max(500),
	description: z.string().trim().min(10).max(4000),
	contactName: z.string().trim().max(100),
	contactEmail: z.union([z.literal(''), z.string().trim().toLowerCase().max(254).pipe(z.email())])
});

export async function submitAccessibilityReport(db: Db, actor: Actor, input: unknown) {
	authorize(canReportAccessibilityBarrier(actor), actor, 'report a barrier');
	const data = parseInput(reportSchema, input);
	return db
		.insertInto('accessibility_reports')
		.values({
			page_url: data.pageUrl,
			description: data.description,
			contact_name: data.contactName || null,
			contact_email: data.contactEmail || null,
			user_id: actor.kind === 'user' ? actor.id : null
		})
		.returning(['id'])
		.executeTakeFirstOrThrow();
}

export async function listAccessibilityReports(db: Db, actor: Actor) {
	authorize(canReadAccessibilityReports(actor), actor, 'read accessibility reports');
	return db
		.selectFrom('accessibility_reports as r')
		.leftJoin('users as reporter', 'reporter.id', 'r.user_id')
		.leftJoin('users as handler', 'handler.id', 'r.handled_by')
		.select([
			'r.id',
			'r.page_url',
			'r.description',
			'r.contact_name',
			'r.contact_email',
			'r.created_at',
			'r.handled_at',
			'reporter.name as reporter_name',
			'handler.name as handled_by_name'
		])
		.orderBy('r.handled_at', (ob) => ob.desc().nullsFirst())
		.orderBy('r.created_at', 'desc')
		.limit(500)
		.execute();
}

export async function markAccessibilityReportHandled(db: Db, actor: Actor, reportId: number) {
	authorize(canReadAccessibilityReports(actor), actor, 'handle accessibility reports');
	const result = await db
		.updateTable('accessibility_reports')
		.set({ handled_at: new Date(), handled_by: actor.kind === 'user' ? actor.id : null })
		.where('id', '=', reportId)
		.where('handled_at', 'is', null)
		.executeTakeFirst();
	if (result.numUpdatedRows === 0n) throw new DomainError(404, { key: 'error_not_found' });
}
