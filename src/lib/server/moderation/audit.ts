/**
 * The audit log: every moderator action is written in the same transaction as the action itself,
 * so the log cannot miss a committed change or record one that was rolled back. Admins read it.
 */
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { Db } from '../db/index';
import type { Database } from '../db/schema';
import { parseInput } from '../errors';
import { authorize, canReadAuditLog, type Actor } from '../policy';

export type AuditAction =
	| 'post.hide'
	| 'post.unhide'
	| 'post.delete'
	| 'thread.lock'
	| 'thread.unlock'
	| 'thread.pin'
	| 'thread.unpin'
	| 'thread.move'
	| 'user.suspend'
	| 'user.unsuspend'
	| 'report.resolve'
	| 'report.dismiss'
	| 'nomination.decline'
	| 'nomination.promote'
	| 'wiki.create'
	| 'wiki.edit'
	| 'wiki.revert'
	| 'wiki.rename'
	| 'wiki.feature'
	| 'wiki.unfeature'
	| 'proposal.accept'
	| 'proposal.reject';

export type AuditTargetType = 'post' | 'thread' | 'user' | 'report' | 'wiki_page' | 'proposal';

export async function recordAudit(
	trx: Transaction<Database>,
	actor: Actor,
	entry: { action: AuditAction; targetType: AuditTargetType; targetId: number; details?: Record<string, unknown> }
): Promise<void> {
	await trx
		.insertInto('audit_log')
		.values({
			actor_id: actor.kind === 'user' ? actor.id : null,
			action: entry.action,
			target_type: entry.targetType,
			target_id: entry.targetId,
			details: JSON.stringify(entry.details ?? {})
		})
		.execute();
}

export const AUDIT_PER_PAGE = 50;

const filterSchema = z.object({
	actorId: z.coerce.number().int().positive().optional(),
	action: z.string().trim().max(40).optional(),
	from: z.coerce.date().optional(),
	to: z.coerce.date().optional(),
	page: z.coerce.number().int().positive().max(100_000).default(1)
});

export type AuditLogFilter = z.input<typeof filterSchema>;

/** Newest first, filterable by who, what and when (`to` is exclusive). Admins only. */
export async function listAuditLog(db: Db | Kysely<Database>, actor: Actor, filter: AuditLogFilter = {}) {
	authorize(canReadAuditLog(actor), actor, 'read the audit log');
	const f = parseInput(filterSchema, Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== '' && v != null)));
	let base = db.selectFrom('audit_log');
	if (f.actorId) base = base.where('audit_log.actor_id', '=', f.actorId);
	if (f.action) base = base.where('audit_log.action', '=', f.action);
	if (f.from) base = base.where('audit_log.created_at', '>=', f.from);
	if (f.to) base = base.where('audit_log.created_at', '<', f.to);
	const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
	const entries = await base
		.leftJoin('users', 'users.id', 'audit_log.actor_id')
		.select([
			'audit_log.id',
			'audit_log.action',
			'audit_log.target_type',
			'audit_log.target_id',
			'audit_log.details',
			'audit_log.created_at',
			'audit_log.actor_id',
			'users.name as actor_name'
		])
		.orderBy('audit_log.created_at', 'desc')
		.orderBy('audit_log.id', 'desc')
		.limit(AUDIT_PER_PAGE)
		.offset((f.page - 1) * AUDIT_PER_PAGE)
		.execute();
	return {
		entries: entries.map((e) => ({ ...e, id: Number(e.id) })),
		page: f.page,
		pageCount: Math.max(1, Math.ceil(Number(total) / AUDIT_PER_PAGE)),
		total: Number(total)
	};
}
