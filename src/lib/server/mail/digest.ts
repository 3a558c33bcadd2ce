/**
 * Digests: a daily or weekly mail of what is new where a member follows (threads and themes at
 * "watching" or "tracking"; muted threads never). An hourly scan enqueues one keyed job per member
 * who is due; the job collects, sends (or not, when nothing is new) and moves `digest_sent_at`.
 */
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import * as m from '$lib/paraglide/messages.js';
import type { Database, DigestFrequency, Locale } from '../db/schema';
import { parseInput } from '../errors';
import { enqueue, type ClaimedJob } from '../jobs/queue';
import type { JobOutcome } from '../jobs/worker';
import { authorize, isMember, memberActor, visiblePosts, visibleThreads, type Actor } from '../policy';
import { firstWords, renderMailHtml, renderMailText, type MailContent, type MailItem } from './compose';
import { unsubscribeHeaders, unsubscribeUrl } from './links';
import type { MailJobContext } from './notification-mail';

export const DIGEST_SCAN_JOB = 'digest-scan';
export const DIGEST_JOB = 'digest';
export const DIGEST_FREQUENCIES = ['off', 'daily', 'weekly'] as const satisfies readonly DigestFrequency[];

/** How often the scan looks for members who are due, and how many it queues per run. */
const SCAN_EVERY_MS = 60 * 60_000;
const SCAN_BATCH = 2_000;
/** Due slightly early, so an hourly scan does not push each member's digest an hour later each time. */
const SLACK = sql`interval '1 hour'`;
const PERIOD = sql`case when users.digest = 'daily' then interval '1 day' else interval '7 days' end`;
/** At most this many threads in one digest: a summary, not an archive. */
const MAX_THREADS = 20;

const due = sql<boolean>`users.digest <> 'off' and coalesce(users.digest_sent_at, users.created_at) <= now() - ${PERIOD} + ${SLACK}`;

/** The recurring scan: one `digest` job per due member, keyed by member and period so instances never double it. */
export async function scanForDigests(context: Pick<MailJobContext, 'db'>): Promise<JobOutcome> {
	const { db } = context;
	const members = await db
		.selectFrom('users')
		.select(['id', sql<string>`coalesce(users.digest_sent_at, users.created_at)::text`.as('since')])
		.where(due)
		// Members whose digest is already queued are skipped, so a long backlog is worked through
		// a batch at a time instead of the same first batch again.
		.where(({ not, exists, selectFrom }) =>
			not(exists(selectFrom('jobs').select('jobs.id').where('jobs.kind', '=', DIGEST_JOB).where('jobs.done_at', 'is', null).where('jobs.failed_at', 'is', null).where(sql<boolean>`jobs.payload->>'userId' = users.id::text`)))
		)
		.orderBy('id')
		.limit(SCAN_BATCH)
		.execute();
	for (const member of members) {
		await enqueue(db, { kind: DIGEST_JOB, payload: { userId: member.id }, key: `${DIGEST_JOB}:${member.id}:${member.since}` });
	}
	// A full batch: more may be due; look again in a minute rather than in an hour.
	return { again: new Date(Date.now() + (members.length === SCAN_BATCH ? 60_000 : SCAN_EVERY_MS)) };
}

interface DigestThread {
	thread_id: number;
	title: string;
	new_posts: number;
	first_post_id: number;
	first_source: string;
}

export async function sendDigest(context: MailJobContext, job: Pick<ClaimedJob, 'payload'>): Promise<JobOutcome> {
	const { db, origin } = context;
	const userId = Number(job.payload.userId);
	const user = await db
		.selectFrom('users')
		.select(['id', 'email', 'name', 'locale', 'role', 'organisation_id', 'suspended_until', 'digest', sql<boolean>`${due}`.as('is_due')])
		.select(sql<Date>`greatest(coalesce(users.digest_sent_at, users.created_at), now() - ${PERIOD})`.as('since'))
		.where('id', '=', userId)
		.executeTakeFirst();
	// Turned off since the scan, or sent already (a second instance's job for the same period).
	if (!user || !user.is_due) return;
	const actor = memberActor({ id: user.id, role: user.role, organisationId: user.organisation_id, suspendedUntil: user.suspended_until });
	const following = await followsAnything(db, user.id);
	const threads = following ? await followedThreads(db, actor, user.id, user.since) : await busiestThreads(db, actor, user.id, user.organisation_id, user.since);

	if (threads.length) {
		const locale: Locale = user.locale ?? 'sv';
		const o = { locale };
		const subject = user.digest === 'daily' ? m.digest_subject_daily({}, o) : m.digest_subject_weekly({}, o);
		const items: MailItem[] = threads.map((t) => ({
			title: t.title,
			href: `${origin}/p/${t.first_post_id}`,
			lines: [m.digest_thread_count({ count: t.new_posts }, o), firstWords(t.first_source)].filter(Boolean)
		}));
		const unsubscribe = await unsubscribeUrl(db, origin, user.id, 'digest');
		const content: MailContent = {
			locale,
			subject,
			greeting: m.mail_greeting({ name: user.name }, o),
			intro: following ? m.digest_intro_following({}, o) : m.digest_intro_popular({}, o),
			sections: [{ items }],
			reason: m.digest_reason({}, o),
			unsubscribe: { label: m.digest_unsubscribe({}, o), url: unsubscribe },
			settings: { label: m.mail_settings_link({}, o), url: `${origin}/settings#mail-heading` }
		};
		await context.mail.send({ to: user.email, subject, text: renderMailText(content), html: renderMailHtml(content), headers: unsubscribeHeaders(unsubscribe) });
	}
	// Moves on even when nothing was new: the next digest covers the next period, not this one again.
	await db.updateTable('users').set({ digest_sent_at: new Date() }).where('id', '=', user.id).execute();
}

async function followsAnything(db: Kysely<Database>, userId: number): Promise<boolean> {
	const row = await db
		.selectFrom('thread_follows')
		.select('user_id')
		.where('user_id', '=', userId)
		.where('level', 'in', ['watching', 'tracking'])
		.unionAll(db.selectFrom('theme_follows').select('user_id').where('user_id', '=', userId).where('level', 'in', ['watching', 'tracking']))
		.limit(1)
		.executeTakeFirst();
	return Boolean(row);
}

/** New posts by others, visible to the member by policy, grouped by thread; the first new post opens it. */
function newPostsByThread(db: Kysely<Database>, actor: Actor, userId: number, since: Date) {
	return db
		.selectFrom('posts')
		.innerJoin('threads', 'threads.id', 'posts.thread_id')
		.where('posts.created_at', '>', since)
		.where('posts.author_id', '<>', userId)
		.where(visiblePosts(actor))
		.where(visibleThreads(actor))
		// A muted thread stays silent, whether it was found through a theme or is among the busiest.
		.where(({ not, exists, selectFrom }) =>
			not(exists(selectFrom('thread_follows as muted').select('muted.user_id').whereRef('muted.thread_id', '=', 'threads.id').where('muted.user_id', '=', userId).where('muted.level', '=', 'muted')))
		)
		.groupBy(['threads.id', 'threads.title'])
		.select([
			'threads.id as thread_id',
			'threads.title',
			sql<number>`count(*)::int`.as('new_posts'),
			sql<number>`min(posts.id)`.as('first_post_id'),
			sql<string>`(array_agg(posts.source order by posts.id))[1]`.as('first_source')
		])
		.orderBy(sql`count(*)`, 'desc')
		.orderBy(sql`max(posts.id)`, 'desc')
		.limit(MAX_THREADS);
}

async function followedThreads(db: Kysely<Database>, actor: Actor, userId: number, since: Date): Promise<DigestThread[]> {
	return newPostsByThread(db, actor, userId, since)
		.where(({ or, exists, selectFrom }) =>
			or([
				exists(selectFrom('thread_follows as tf').select('tf.user_id').whereRef('tf.thread_id', '=', 'threads.id').where('tf.user_id', '=', userId).where('tf.level', 'in', ['watching', 'tracking'])),
				exists(selectFrom('theme_follows as mf').select('mf.user_id').whereRef('mf.theme_id', '=', 'threads.theme_id').where('mf.user_id', '=', userId).where('mf.level', 'in', ['watching', 'tracking']))
			])
		)
		.execute();
}

/**
 * For a member who follows nothing yet: the busiest threads of the period in their organisation's
 * tracks (all tracks when it has none). Public threads only: the member did not pick these, a mail
 * is easily forwarded, and the open discussions are the ones meant to draw people in.
 */
async function busiestThreads(db: Kysely<Database>, actor: Actor, userId: number, organisationId: number, since: Date): Promise<DigestThread[]> {
	const hasTracks = await db.selectFrom('organisation_tracks').select('track_id').where('organisation_id', '=', organisationId).executeTakeFirst();
	let query = newPostsByThread(db, actor, userId, since).where('threads.visibility', '=', 'public');
	if (hasTracks) {
		query = query.where(({ exists, selectFrom }) =>
			exists(
				selectFrom('theme_tracks')
					.innerJoin('organisation_tracks', 'organisation_tracks.track_id', 'theme_tracks.track_id')
					.select('theme_tracks.theme_id')
					.whereRef('theme_tracks.theme_id', '=', 'threads.theme_id')
					.where('organisation_tracks.organisation_id', '=', organisationId)
			)
		);
	}
	return query.limit(5).execute();
}

// A custom check, so the refusal names the choice in the member's words rather than a generic one.
const digestSchema = z.object({
	digest: z.custom<DigestFrequency>((value) => DIGEST_FREQUENCIES.includes(value as DigestFrequency), { message: 'digest_error_invalid' })
});

/** The settings form's write path: how often this member gets the digest. */
export async function setDigestFrequency(db: Kysely<Database>, actor: Actor, input: unknown): Promise<DigestFrequency> {
	authorize(isMember(actor), actor, 'change mail settings');
	const { digest } = parseInput(digestSchema, input);
	await db.updateTable('users').set({ digest }).where('id', '=', actor.id).execute();
	return digest;
}
