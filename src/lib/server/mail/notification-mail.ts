/**
 * Notification mails: a write path that stores notifications calls `scheduleNotificationMail` in its
 * transaction; ten minutes later one job per member sends ONE message listing what is still unread,
 * not yet mailed, of a kind that member gets by e-mail, and still visible to them. A burst of
 * replies becomes one mail; whatever was read in the app meanwhile is not sent.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import * as m from '$lib/paraglide/messages.js';
import { DEFAULT_CHANNEL, NOTIFICATION_MAIL_DELAY_MINUTES, type NotificationKind } from '$lib/notification-kinds';
import type { Database, Locale } from '../db/schema';
import type { ClaimedJob } from '../jobs/queue';
import type { JobOutcome } from '../jobs/worker';
import { memberActor, visiblePosts, visibleThreads, visibleWikiPages } from '../policy';
import { renderMailHtml, renderMailText, type MailContent, type MailItem } from './compose';
import { unsubscribeHeaders, unsubscribeUrl } from './links';
import type { MailTransport } from './transport';

export interface MailJobContext {
	db: Kysely<Database>;
	mail: MailTransport;
	/** The public address links point to (ORIGIN), without a trailing slash. */
	origin: string;
}

export const NOTIFICATION_MAIL_JOB = 'notification-mail';

/**
 * One pending mail job per member (the key), due after the delay. A second call while one is pending
 * does nothing: the pending job picks up everything stored by the time it runs.
 */
export async function scheduleNotificationMail(trx: Transaction<Database> | Kysely<Database>, userIds: readonly number[]): Promise<void> {
	const ids = [...new Set(userIds)];
	if (!ids.length) return;
	const rows = ids.map(
		(id) =>
			sql`(${NOTIFICATION_MAIL_JOB}, ${JSON.stringify({ userId: id })}::jsonb, ${`${NOTIFICATION_MAIL_JOB}:${id}`},
				now() + make_interval(mins => ${NOTIFICATION_MAIL_DELAY_MINUTES}))`
	);
	await sql`insert into jobs (kind, payload, key, run_at) values ${sql.join(rows)}
		on conflict (key) where key is not null and done_at is null and failed_at is null do nothing`.execute(trx);
}

const EMAIL_BY_DEFAULT = (Object.entries(DEFAULT_CHANNEL) as [NotificationKind, string][])
	.filter(([, channel]) => channel === 'email')
	.map(([kind]) => kind);

/** Unread, not yet mailed notifications of kinds this member gets by e-mail (their choice, else the default). */
function pendingForMail(db: Kysely<Database>, userId: number) {
	return db
		.selectFrom('notifications as n')
		.leftJoin('notification_preferences as pref', (join) => join.onRef('pref.user_id', '=', 'n.user_id').onRef('pref.kind', '=', 'n.kind'))
		.where('n.user_id', '=', userId)
		.where('n.read_at', 'is', null)
		.where('n.emailed_at', 'is', null)
		.where((eb) =>
			eb.or([
				eb('pref.channel', '=', 'email'),
				eb.and([eb('pref.channel', 'is', null), eb('n.kind', 'in', EMAIL_BY_DEFAULT.length ? EMAIL_BY_DEFAULT : ['-'])])
			])
		);
}

export async function sendNotificationMail(context: MailJobContext, job: Pick<ClaimedJob, 'payload'>): Promise<JobOutcome> {
	const { db, origin } = context;
	const userId = Number(job.payload.userId);
	// A member whose account is gone gets nothing. A suspended member still does: a suspension
	// stops writing, not reading, and what they are told about is theirs to read.
	const user = await db
		.selectFrom('users')
		.select(['id', 'email', 'name', 'locale', 'role', 'organisation_id', 'suspended_until'])
		.where('id', '=', userId)
		.executeTakeFirst();
	if (!user) return;
	const actor = memberActor({ id: user.id, role: user.role, organisationId: user.organisation_id, suspendedUntil: user.suspended_until });

	const candidates = await pendingForMail(db, user.id).select('n.id').execute();
	if (!candidates.length) return;
	const candidateIds = candidates.map((c) => c.id);

	// Visibility again, now: a post hidden, deleted or moved since the notification drops out,
	// through the same filters every list uses.
	const rows = await db
		.selectFrom('notifications as n')
		.leftJoin('users as actor', 'actor.id', 'n.actor_id')
		.leftJoin('posts', 'posts.id', 'n.post_id')
		.leftJoin('threads', (join) => join.on(sql<boolean>`threads.id = coalesce(posts.thread_id, n.thread_id)`))
		.leftJoin('wiki_pages', 'wiki_pages.id', 'n.wiki_page_id')
		.select([
			'n.id',
			'n.kind',
			'n.payload',
			'n.post_id',
			'n.thread_id',
			'n.wiki_page_id',
			'actor.name as actor_name',
			'threads.title as thread_title',
			'threads.id as current_thread_id',
			'wiki_pages.title as wiki_title',
			'wiki_pages.slug as wiki_slug'
		])
		.where('n.id', 'in', candidateIds)
		.where((eb) => {
			// The filters expect their tables in scope; after a left join they may be null, which is
			// what the `is null` branches are for (a notification about no post at all).
			const e = eb as unknown as Parameters<ReturnType<typeof visiblePosts>>[0];
			return eb.and([
				eb.or([eb('n.post_id', 'is', null), eb.and([eb('posts.id', 'is not', null), visiblePosts(actor)(e), visibleThreads(actor)(e)])]),
				eb.or([eb('n.thread_id', 'is', null), eb.and([eb('threads.id', 'is not', null), visibleThreads(actor)(e)])]),
				eb.or([
					eb('n.wiki_page_id', 'is', null),
					eb.and([eb('wiki_pages.id', 'is not', null), visibleWikiPages(actor)(eb as unknown as Parameters<ReturnType<typeof visibleWikiPages>>[0])])
				])
			]);
		})
		.orderBy('n.updated_at')
		.orderBy('n.id')
		.execute();

	if (rows.length) {
		const locale: Locale = user.locale ?? 'sv';
		const items: MailItem[] = rows.map((row) => notificationItem(row, locale, origin));
		const unsubscribe = await unsubscribeUrl(db, origin, user.id, 'notifications');
		const subject =
			items.length === 1
				? m.mail_notifications_subject_one({ title: items[0]!.title }, { locale })
				: m.mail_notifications_subject({ count: items.length }, { locale });
		const content: MailContent = {
			locale,
			subject,
			greeting: m.mail_greeting({ name: user.name }, { locale }),
			intro: m.mail_notifications_intro({}, { locale }),
			sections: [{ items }],
			reason: m.mail_notifications_reason({}, { locale }),
			unsubscribe: { label: m.mail_unsubscribe_notifications({}, { locale }), url: unsubscribe },
			settings: { label: m.mail_settings_link({}, { locale }), url: `${origin}/settings#mail-heading` }
		};
		// Sent, then marked: a crash in between sends the list again on the retry (at least once),
		// which beats a notification that silently never goes out.
		await context.mail.send({
			to: user.email,
			subject,
			text: renderMailText(content),
			html: renderMailHtml(content),
			headers: unsubscribeHeaders(unsubscribe)
		});
		await db
			.updateTable('notifications')
			.set({ emailed_at: new Date() })
			.where('id', 'in', rows.map((r) => r.id))
			.execute();
	}

	// Stored while this run was busy: their own enqueue found this job still pending and did
	// nothing, so this job comes back for them after the usual delay.
	const later = await pendingForMail(db, user.id).select('n.id').where('n.id', 'not in', candidateIds).executeTakeFirst();
	if (later) return { again: new Date(Date.now() + NOTIFICATION_MAIL_DELAY_MINUTES * 60_000) };
}

interface NotificationRow {
	kind: string;
	payload: Record<string, unknown>;
	post_id: number | null;
	current_thread_id: number | null;
	actor_name: string | null;
	thread_title: string | null;
	wiki_title: string | null;
	wiki_slug: string | null;
}

function notificationItem(row: NotificationRow, locale: Locale, origin: string): MailItem {
	const actor = row.actor_name ?? m.mail_someone({}, { locale });
	const thread = row.thread_title ?? '';
	const title = row.wiki_title ?? (typeof row.payload.title === 'string' ? row.payload.title : '');
	const o = { locale };
	const titles: Record<NotificationKind, () => string> = {
		mention: () => m.mail_kind_mention({ actor, thread }, o),
		reply: () => m.mail_kind_reply({ actor, thread }, o),
		quote: () => m.mail_kind_quote({ actor, thread }, o),
		reaction: () => m.mail_kind_reaction({ actor, thread }, o),
		followed_post: () => m.mail_kind_followed_post({ actor, thread }, o),
		nomination_promoted: () => m.mail_kind_nomination_promoted({ title }, o),
		nomination_declined: () => m.mail_kind_nomination_declined({}, o),
		post_moderated: () => m.mail_kind_post_moderated({ thread }, o),
		proposal_accepted: () => m.mail_kind_proposal_accepted({ title }, o),
		proposal_rejected: () => m.mail_kind_proposal_rejected({ title }, o),
		review_queue: () => m.mail_kind_review_queue({}, o)
	};
	const lines: string[] = [];
	const reason = row.payload.reason;
	if (typeof reason === 'string' && reason.trim()) lines.push(m.mail_reason_line({ reason: reason.trim() }, o));
	const href = row.post_id
		? `${origin}/p/${row.post_id}`
		: row.wiki_slug
			? `${origin}/wiki/${row.wiki_slug}`
			: row.current_thread_id
				? `${origin}/t/${row.current_thread_id}`
				: `${origin}/notifications`;
	return { title: (titles[row.kind as NotificationKind] ?? (() => m.mail_kind_other({}, o)))(), href, lines };
}
