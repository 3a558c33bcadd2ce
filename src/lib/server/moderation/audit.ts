/**
 * The audit log: every moderator action is written in the same transaction as the action itself,
 * so the log cannot miss a committed change or record one that was rolled back. Admins read it.
 */
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { Db } from '../db/index';
import type { Database } from '../db/schema';
import { parseInput } from '../errors';
import { idField } from '../input';
import { authorize, canReadAuditLog, type Actor } from '../policy';

/** Every action the log knows, in the order the log's filter offers them. */
export const AUDIT_ACTIONS = [
	'post.hide',
	'post.unhide',
	'post.delete',
	'thread.lock',
	'thread.unlock',
	'thread.pin',
	'thread.unpin',
	'thread.move',
	'user.suspend',
	'user.unsuspend',
	'report.resolve',
	'report.dismiss',
	'nomination.decline',
	'nomination.promote',
	'wiki.create',
	'wiki.edit',
	'wiki.revert',
	'wiki.rename',
	'wiki.feature',
	'wiki.unfeature',
	'proposal.accept',
	'proposal.reject'
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

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
	actorId: idField.optional(),
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

/** The people who appear as actors in the log, for the log's "who" filter. Admins only. */
export async function listAuditActors(db: Db | Kysely<Database>, actor: Actor) {
	authorize(canReadAuditLog(actor), actor, 'read the audit log');
	return db
		.selectFrom('users')
		.select(['users.id', 'users.name'])
		.where((eb) => eb.exists(eb.selectFrom('audit_log').select('audit_log.id').whereRef('audit_log.actor_id', '=', 'users.id')))
		.orderBy('users.name')
		.execute();
}

type AuditEntry = Awaited<ReturnType<typeof listAuditLog>>['entries'][number];

/** What an entry concerns, as a link where the thing still exists; labels are the page's to word. */
export interface AuditTarget {
	type: AuditTargetType;
	id: number;
	/** A thread's title, a member's name or a wiki page's title, when it still exists. */
	title: string | null;
	href: string | null;
	/** For a report: the reported post. */
	postId: number | null;
}

const numberIn = (details: Record<string, unknown>, key: string): number | null => {
	const value = details[key];
	return typeof value === 'number' && Number.isSafeInteger(value) ? value : null;
};

/**
 * The log stores ids; an admin reads names. Loads, in one query per kind, the titles and names the
 * entries point at (threads, members, wiki pages, themes of a move), so the page can link them.
 */
export async function describeAuditEntries(db: Db | Kysely<Database>, actor: Actor, entries: AuditEntry[]) {
	authorize(canReadAuditLog(actor), actor, 'read the audit log');
	const ids = { thread: new Set<number>(), user: new Set<number>(), wiki: new Set<number>(), theme: new Set<number>() };
	const detailsOf = (e: AuditEntry) => (typeof e.details === 'string' ? JSON.parse(e.details) : (e.details ?? {})) as Record<string, unknown>;
	for (const e of entries) {
		const d = detailsOf(e);
		if (e.target_id == null) continue;
		if (e.target_type === 'thread') ids.thread.add(e.target_id);
		if (e.target_type === 'user') ids.user.add(e.target_id);
		if (e.target_type === 'wiki_page') ids.wiki.add(e.target_id);
		const pageId = numberIn(d, 'pageId');
		if (e.target_type === 'proposal' && pageId) ids.wiki.add(pageId);
		for (const key of ['fromThemeId', 'toThemeId']) {
			const themeId = numberIn(d, key);
			if (themeId) ids.theme.add(themeId);
		}
	}
	const load = async <T extends { id: number }>(set: Set<number>, query: (list: number[]) => Promise<T[]>) =>
		new Map((set.size ? await query([...set]) : []).map((row) => [row.id, row] as const));
	const [threads, users, pages, themes] = await Promise.all([
		load(ids.thread, (list) => db.selectFrom('threads').select(['id', 'title']).where('id', 'in', list).execute()),
		load(ids.user, (list) => db.selectFrom('users').select(['id', 'name']).where('id', 'in', list).execute()),
		load(ids.wiki, (list) => db.selectFrom('wiki_pages').select(['id', 'title', 'slug']).where('id', 'in', list).execute()),
		load(ids.theme, (list) => db.selectFrom('themes').select(['id', 'name']).where('id', 'in', list).execute())
	]);
	return entries.map((e) => {
		const details = detailsOf(e);
		const id = e.target_id ?? 0;
		const type = e.target_type as AuditTargetType;
		let target: AuditTarget = { type, id, title: null, href: null, postId: null };
		if (type === 'thread') {
			const thread = threads.get(id);
			target = { ...target, title: thread?.title ?? null, href: thread ? `/t/${id}` : null };
		} else if (type === 'post') {
			target = { ...target, href: `/p/${id}` };
		} else if (type === 'user') {
			const user = users.get(id);
			target = { ...target, title: user?.name ?? null, href: user ? `/users/${id}` : null };
		} else if (type === 'wiki_page') {
			const page = pages.get(id);
			target = { ...target, title: page?.title ?? null, href: page ? `/wiki/${page.slug}` : null };
		} else if (type === 'report') {
			const postId = numberIn(details, 'postId');
			target = { ...target, postId, href: postId ? `/p/${postId}` : null };
		} else if (type === 'proposal') {
			const page = pages.get(numberIn(details, 'pageId') ?? 0);
			target = { ...target, title: page?.title ?? null, href: page ? `/wiki/${page.slug}` : null };
		}
		const themeName = (key: string) => themes.get(numberIn(details, key) ?? 0)?.name ?? null;
		return {
			id: e.id,
			action: e.action,
			createdAt: new Date(e.created_at),
			actorId: e.actor_id,
			actorName: e.actor_name,
			target,
			details: {
				reason: typeof details.reason === 'string' ? details.reason : null,
				note: typeof details.note === 'string' ? details.note : null,
				until: typeof details.until === 'string' ? new Date(details.until) : null,
				fromTheme: themeName('fromThemeId'),
				toTheme: themeName('toThemeId'),
				renamedFrom: e.action === 'wiki.rename' && typeof details.from === 'string' ? details.from : null,
				renamedTo: e.action === 'wiki.rename' && typeof details.to === 'string' ? details.to : null,
				revision: numberIn(details, 'revision'),
				revertedTo: e.action === 'wiki.revert' ? numberIn(details, 'to') : null,
				postCount: Array.isArray(details.postIds) ? details.postIds.length : null,
				hidPost: details.hidPost === true
			}
		};
	});
}

export type AuditEntryView = Awaited<ReturnType<typeof describeAuditEntries>>[number];
