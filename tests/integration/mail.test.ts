/**
 * Mail through the real SMTP transport into a local sink: notification mails (batched, language,
 * text + HTML, one-click unsubscribe headers, visibility re-checked), digests (the right threads),
 * the signed unsubscribe link, queued invitation mail, the mail settings write path and re-rendering.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOTIFICATION_MAIL_DELAY_MINUTES } from '../../src/lib/notification-kinds';
import { reply, startThread } from '../../src/lib/server/forum/posting';
import { setFollowLevel } from '../../src/lib/server/notifications/following';
import { JOB_HANDLERS, type JobContext } from '../../src/lib/server/jobs/handlers';
import { RERENDER_JOB, rerenderBatch } from '../../src/lib/server/jobs/rerender';
import { createJobWorker, type JobWorker } from '../../src/lib/server/jobs/worker';
import { DIGEST_JOB, scanForDigests, setDigestFrequency } from '../../src/lib/server/mail/digest';
import { scheduleNotificationMail } from '../../src/lib/server/mail/notification-mail';
import { queuedMailTransport } from '../../src/lib/server/mail/queued';
import { smtpMailTransport } from '../../src/lib/server/mail/transport';
import { readUnsubscribeLink, unsubscribe } from '../../src/lib/server/mail/unsubscribe';
import { MARKDOWN_RENDERER_VERSION } from '../../src/lib/server/markdown';
import { createInvitation } from '../../src/lib/server/membership/invitations';
import { hidePost } from '../../src/lib/server/moderation/actions';
import { GUEST } from '../../src/lib/server/policy';
import { openTestDatabase, targets, type TestDatabase } from './database';
import { makeUser, organisationId } from './fixtures';
import { startSmtpSink, type SmtpSink } from './smtp-sink';

const ORIGIN = 'https://kommuntorget.example';
const quiet = { warn() {}, error() {}, info() {} } as never;

describe.each(targets)('e-mail on %s', (target) => {
	let t: TestDatabase;
	let sink: SmtpSink;
	let smtp: ReturnType<typeof smtpMailTransport>;
	let worker: JobWorker;
	const themeIds = new Map<string, number>();
	const theme = async (slug: string) => {
		if (!themeIds.has(slug)) themeIds.set(slug, (await t.db.selectFrom('themes').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id);
		return themeIds.get(slug)!;
	};
	/** Everything queued is due now: the ten-minute wait of notification mails, without waiting. */
	const runDueJobs = async () => {
		await sql`update jobs set run_at = now() - interval '1 second' where done_at is null and failed_at is null and kind <> 'digest-scan'`.execute(t.db);
		return worker.drain();
	};
	const mailsTo = (email: string) => sink.received.filter((mail) => mail.to.includes(email));

	beforeAll(async () => {
		[t, sink] = await Promise.all([openTestDatabase(target), startSmtpSink()]);
		smtp = smtpMailTransport({ url: sink.url, from: 'Kommuntorget <noreply@kommuntorget.example>' });
		const context: JobContext = { db: t.db, mail: smtp, origin: ORIGIN };
		worker = createJobWorker({ db: t.db, handlers: JOB_HANDLERS, context, logger: quiet });
	});
	afterAll(async () => {
		smtp.close();
		await Promise.all([t.close(), sink.close()]);
	});

	async function notify(userId: number, values: { kind: string; actorId?: number; postId?: number; threadId?: number; read?: boolean }) {
		const { id } = await t.db
			.insertInto('notifications')
			.values({
				user_id: userId,
				kind: values.kind,
				payload: JSON.stringify({}),
				actor_id: values.actorId ?? null,
				post_id: values.postId ?? null,
				thread_id: values.threadId ?? null,
				read_at: values.read ? new Date() : null
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		return id;
	}

	it('sends one notification mail per member after the delay: unread e-mail kinds only, visible posts only, in their language, with one-click unsubscribe', async () => {
		const anna = await makeUser(t.db, 'participant');
		const writer = await makeUser(t.db, 'participant');
		const mod = await makeUser(t.db, 'moderator');
		await t.db.updateTable('users').set({ locale: 'en', name: 'Anna Berg' }).where('id', '=', anna.id).execute();
		await t.db.updateTable('users').set({ name: 'Bo Skrivare' }).where('id', '=', writer.id).execute();
		const { thread, post: opening } = await startThread(t.db, anna.actor, await theme('valfardsteknik'), { title: 'Larm i hemtjänsten', body: 'Hur testar ni?' });
		const answer = (await reply(t.db, writer.actor, thread.id, { body: '@anna svar' })).post;
		const hidden = (await reply(t.db, writer.actor, thread.id, { body: 'Ring mig på 070-HEMLIGT' })).post;
		await hidePost(t.db, mod.actor, hidden.id, { reason: 'Personuppgifter' });
		const quoted = (await reply(t.db, writer.actor, thread.id, { body: '> Hur testar ni?\n\nSå här.' })).post;
		await t.db.insertInto('notification_preferences').values({ user_id: anna.id, kind: 'quote', channel: 'email' }).execute();

		// The write paths above notified Anna already; this test sets out her notifications by hand.
		await t.db.deleteFrom('notifications').where('user_id', '=', anna.id).execute();
		await t.db.deleteFrom('jobs').where('key', '=', `notification-mail:${anna.id}`).execute();
		const sent = [
			await notify(anna.id, { kind: 'mention', actorId: writer.id, postId: answer.id, threadId: thread.id }),
			await notify(anna.id, { kind: 'quote', actorId: writer.id, postId: quoted.id, threadId: thread.id })
		];
		const skipped = [
			await notify(anna.id, { kind: 'reply', actorId: writer.id, postId: hidden.id, threadId: thread.id }),
			await notify(anna.id, { kind: 'reaction', actorId: writer.id, postId: opening.id, threadId: thread.id }),
			await notify(anna.id, { kind: 'reply', actorId: writer.id, postId: answer.id, threadId: thread.id, read: true })
		];
		await t.db.transaction().execute((trx) => scheduleNotificationMail(trx, [anna.id, anna.id]));
		await scheduleNotificationMail(t.db, [anna.id]);
		const jobs = await t.db.selectFrom('jobs').select(['run_at', 'key']).where('key', '=', `notification-mail:${anna.id}`).execute();
		expect(jobs).toHaveLength(1);
		const wait = (new Date(jobs[0]!.run_at).getTime() - Date.now()) / 60_000;
		expect(wait).toBeGreaterThan(NOTIFICATION_MAIL_DELAY_MINUTES - 1);
		// Not due yet: nothing goes out before the delay.
		await worker.drain();
		expect(mailsTo(anna.email)).toHaveLength(0);

		await runDueJobs();
		const mails = mailsTo(anna.email);
		expect(mails).toHaveLength(1);
		const mail = mails[0]!;
		expect(mail.subject).toBe('New on Kommuntorget: 2 updates');
		expect(mail.headers.get('from')).toContain('noreply@kommuntorget.example');
		expect(mail.text).toContain('Hello Anna Berg,');
		expect(mail.text).toContain('Bo Skrivare mentioned you in “Larm i hemtjänsten”');
		expect(mail.text).toContain(`${ORIGIN}/p/${answer.id}`);
		expect(mail.text).toContain(`${ORIGIN}/p/${quoted.id}`);
		expect(mail.text).not.toContain(`/p/${hidden.id}`);
		expect(mail.text).not.toContain(`/p/${opening.id}`);
		expect(mail.html).toContain('<html lang="en">');
		expect(mail.html).toContain(`href="${ORIGIN}/p/${answer.id}"`);
		expect(mail.html).toContain('Bo Skrivare mentioned you in “Larm i hemtjänsten”');
		expect(mail.raw).not.toContain('HEMLIGT');
		const unsubscribeHeader = mail.headers.get('list-unsubscribe')!;
		expect(unsubscribeHeader).toMatch(new RegExp(`^<${ORIGIN}/unsubscribe\\?u=${anna.id}&l=notifications&s=[A-Za-z0-9_-]+>$`));
		expect(mail.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
		expect(mail.text).toContain(unsubscribeHeader.slice(1, -1));

		const marked = await t.db.selectFrom('notifications').select(['id', 'emailed_at']).where('user_id', '=', anna.id).execute();
		for (const row of marked) expect(row.emailed_at === null, `notification ${row.id}`).toBe(!sent.includes(row.id));
		expect(skipped.every((id) => marked.find((r) => r.id === id)!.emailed_at === null)).toBe(true);

		// What came later goes in the next mail, alone; nothing pending means no mail at all.
		// This time through the real write path: the reply stores Anna's notification and schedules her mail.
		await reply(t.db, writer.actor, thread.id, { body: 'En sak till.' });
		await scheduleNotificationMail(t.db, [writer.id]);
		await runDueJobs();
		expect(mailsTo(anna.email)).toHaveLength(2);
		expect(mailsTo(anna.email)[1]!.subject).toBe('New on Kommuntorget: Bo Skrivare replied in “Larm i hemtjänsten”');
		expect(mailsTo(anna.email)[1]!.text).not.toContain(`/p/${answer.id}`);
		// The writer's only mail is the moderator hiding their post; scheduling them with nothing new adds none.
		expect(mailsTo(writer.email)).toHaveLength(1);
		expect(mailsTo(writer.email)[0]!.text).toContain(`/p/${hidden.id}`);
	});

	it('writes in Swedish to a member without a language, and a notification arriving while the mail is being sent comes back later', async () => {
		const lena = await makeUser(t.db, 'participant');
		const writer = await makeUser(t.db, 'participant');
		const { thread, post } = await startThread(t.db, writer.actor, await theme('valfardsteknik'), { title: 'Sensorer', body: 'Vi testar sensorer.' });
		await notify(lena.id, { kind: 'followed_post', actorId: writer.id, postId: post.id, threadId: thread.id });
		await scheduleNotificationMail(t.db, [lena.id]);
		// A mail transport that stores a new notification while "sending": its own enqueue finds
		// the running job's key taken, so the running job must come back for it.
		const racing = createJobWorker({
			db: t.db,
			handlers: JOB_HANDLERS,
			context: {
				db: t.db,
				origin: ORIGIN,
				mail: {
					async send(message) {
						await smtp.send(message);
						await notify(lena.id, { kind: 'followed_post', actorId: writer.id, postId: post.id, threadId: thread.id });
						await scheduleNotificationMail(t.db, [lena.id]);
					}
				}
			},
			logger: quiet
		});
		await sql`update jobs set run_at = now() where key = ${`notification-mail:${lena.id}`}`.execute(t.db);
		await racing.drain();
		expect(mailsTo(lena.email)).toHaveLength(1);
		expect(mailsTo(lena.email)[0]!.subject).toBe('Nytt på Kommuntorget: Nytt inlägg av ' + (await t.db.selectFrom('users').select('name').where('id', '=', writer.id).executeTakeFirstOrThrow()).name + ' i ”Sensorer”');
		expect(mailsTo(lena.email)[0]!.html).toContain('<html lang="sv">');
		const job = await t.db.selectFrom('jobs').selectAll().where('key', '=', `notification-mail:${lena.id}`).executeTakeFirstOrThrow();
		expect(job.done_at).toBeNull();
		expect(new Date(job.run_at).getTime()).toBeGreaterThan(Date.now() + (NOTIFICATION_MAIL_DELAY_MINUTES - 1) * 60_000);
		await runDueJobs();
		expect(mailsTo(lena.email)).toHaveLength(2);
	});

	it('the unsubscribe link: a good signature turns e-mail notifications into in-app ones, a bad one is refused with 400', async () => {
		const anna = await makeUser(t.db, 'participant');
		const writer = await makeUser(t.db, 'participant');
		const { thread, post } = await startThread(t.db, writer.actor, await theme('valfardsteknik'), { title: 'Avregistrering', body: 'Text.' });
		await t.db.insertInto('notification_preferences').values([
			{ user_id: anna.id, kind: 'followed_post', channel: 'off' },
			{ user_id: anna.id, kind: 'quote', channel: 'email' }
		]).execute();
		await notify(anna.id, { kind: 'mention', actorId: writer.id, postId: post.id, threadId: thread.id });
		await scheduleNotificationMail(t.db, [anna.id]);
		await runDueJobs();
		const header = mailsTo(anna.email)[0]!.headers.get('list-unsubscribe')!;
		const url = new URL(header.slice(1, -1));

		const tamper = async (change: (params: URLSearchParams) => void) => {
			const params = new URLSearchParams(url.search);
			change(params);
			return readUnsubscribeLink(t.db, params);
		};
		const refused = { status: 400, detail: { key: 'mail_unsubscribe_invalid' } };
		await expect(tamper((p) => p.set('s', p.get('s')!.slice(0, -2) + (p.get('s')!.endsWith('AA') ? 'BB' : 'AA')))).rejects.toMatchObject(refused);
		await expect(tamper((p) => p.set('u', String(writer.id)))).rejects.toMatchObject(refused);
		await expect(tamper((p) => p.set('l', 'digest'))).rejects.toMatchObject(refused);
		await expect(tamper((p) => p.set('l', 'everything'))).rejects.toMatchObject(refused);
		await expect(tamper((p) => p.delete('s'))).rejects.toMatchObject(refused);
		await expect(tamper((p) => p.set('u', '99999999999999'))).rejects.toMatchObject(refused);

		const link = await readUnsubscribeLink(t.db, url.searchParams);
		expect(link).toMatchObject({ userId: anna.id, list: 'notifications' });
		await unsubscribe(t.db, link);
		await unsubscribe(t.db, link);
		const prefs = Object.fromEntries((await t.db.selectFrom('notification_preferences').select(['kind', 'channel']).where('user_id', '=', anna.id).execute()).map((p) => [p.kind, p.channel]));
		expect(prefs).toMatchObject({ mention: 'app', reply: 'app', quote: 'app', followed_post: 'off', post_moderated: 'app' });
		expect(Object.values(prefs)).not.toContain('email');
		await notify(anna.id, { kind: 'mention', actorId: writer.id, postId: post.id, threadId: thread.id });
		await scheduleNotificationMail(t.db, [anna.id]);
		await runDueJobs();
		expect(mailsTo(anna.email)).toHaveLength(1);
	});

	it('digests: followed threads and themes with counts, never a hidden post, a muted thread or an unfollowed one; nothing new means no mail', async () => {
		const reader = await makeUser(t.db, 'participant');
		const newcomer = await makeUser(t.db, 'participant');
		const quiet1 = await makeUser(t.db, 'participant');
		const writer = await makeUser(t.db, 'participant');
		const mod = await makeUser(t.db, 'moderator');
		const start = async (slug: string, title: string, visibility?: 'public' | 'members') =>
			(await startThread(t.db, writer.actor, await theme(slug), { title, body: `Inledning: ${title}`, ...(visibility ? { visibility } : {}) })).thread;
		const followed = await start('valfardsteknik', 'Följd tråd om trygghetslarm');
		const unfollowed = await start('e-halsa', 'Ofölj tråd om journaler');
		const viaTheme = await start('delaktighet-och-tjanstedesign', 'Tråd i följt tema');
		const muted = await start('delaktighet-och-tjanstedesign', 'Tystad tråd i följt tema');
		const membersOnly = await start('informationssakerhet-och-juridik', 'Intern tråd om avtal', 'members');
		await reply(t.db, writer.actor, followed.id, { body: 'Vi byter leverantör i vår.' });
		await reply(t.db, reader.actor, followed.id, { body: 'Mitt eget svar räknas inte.' });
		const secret = (await reply(t.db, writer.actor, followed.id, { body: 'DOLT-INNEHÅLL i tråden' })).post;
		await hidePost(t.db, mod.actor, secret.id);
		await reply(t.db, writer.actor, membersOnly.id, { body: 'Mycket aktivitet här.' });
		await reply(t.db, writer.actor, membersOnly.id, { body: 'Och här.' });
		// Through the following write path: the reply above already made the reader track `followed`.
		await setFollowLevel(t.db, reader.actor, { kind: 'thread', id: followed.id }, { level: 'watching' });
		await setFollowLevel(t.db, reader.actor, { kind: 'thread', id: muted.id }, { level: 'muted' });
		await setFollowLevel(t.db, reader.actor, { kind: 'theme', id: await theme('delaktighet-och-tjanstedesign') }, { level: 'tracking' });
		// A member following a thread whose posts are all older than their last digest.
		const old = await start('e-halsa', 'Gammal tråd');
		await sql`update posts set created_at = now() - interval '3 days' where thread_id = ${old.id}`.execute(t.db);
		await t.db.insertInto('thread_follows').values({ user_id: quiet1.id, thread_id: old.id, level: 'watching' }).execute();
		for (const user of [reader, newcomer, quiet1]) {
			await sql`update users set digest = 'daily', digest_sent_at = now() - interval '2 days' where id = ${user.id}`.execute(t.db);
		}
		const sentBefore = await t.db.selectFrom('users').select(['id', 'digest_sent_at']).where('id', '=', quiet1.id).executeTakeFirstOrThrow();

		await scanForDigests({ db: t.db });
		await scanForDigests({ db: t.db });
		const digestJobs = await t.db.selectFrom('jobs').select('key').where('kind', '=', DIGEST_JOB).where('done_at', 'is', null).execute();
		for (const user of [reader, newcomer, quiet1]) expect(digestJobs.filter((j) => j.key!.startsWith(`digest:${user.id}:`))).toHaveLength(1);
		// Members who joined just now (the writer, weekly by default) are not due.
		expect(digestJobs.some((j) => j.key!.startsWith(`digest:${writer.id}:`))).toBe(false);
		await runDueJobs();

		const [digest] = mailsTo(reader.email);
		expect(mailsTo(reader.email)).toHaveLength(1);
		expect(digest!.subject).toBe('Dagens nyheter på Kommuntorget');
		expect(digest!.text).toContain('Nya inlägg i trådar och teman du följer:');
		expect(digest!.text).toContain('Följd tråd om trygghetslarm');
		expect(digest!.text).toMatch(/Följd tråd om trygghetslarm\n {2}2 nya inlägg\n {2}Inledning: Följd tråd om trygghetslarm/);
		expect(digest!.text).toContain('Tråd i följt tema');
		expect(digest!.text).not.toContain('Ofölj tråd');
		expect(digest!.text).not.toContain('Tystad tråd');
		expect(digest!.text).not.toContain('Intern tråd');
		expect(digest!.raw).not.toContain('DOLT-INNEHÅLL');
		expect(digest!.headers.get('list-unsubscribe')).toContain('l=digest');
		expect(digest!.html).toContain('<html lang="sv">');

		// Following nothing: the busiest open threads, never a members-only one however busy.
		const [popular] = mailsTo(newcomer.email);
		expect(popular!.text).toContain('Du följer inga trådar eller teman ännu.');
		expect(popular!.text).not.toContain('Intern tråd');
		expect(popular!.raw).not.toContain('DOLT-INNEHÅLL');

		expect(mailsTo(quiet1.email)).toHaveLength(0);
		const sentAfter = await t.db.selectFrom('users').select('digest_sent_at').where('id', '=', quiet1.id).executeTakeFirstOrThrow();
		expect(new Date(sentAfter.digest_sent_at!).getTime()).toBeGreaterThan(new Date(sentBefore.digest_sent_at!).getTime());

		// Sent means not due: a second scan enqueues nothing for them.
		await scanForDigests({ db: t.db });
		const again = await t.db.selectFrom('jobs').select('key').where('kind', '=', DIGEST_JOB).where('done_at', 'is', null).execute();
		expect(again.filter((j) => [reader, newcomer, quiet1].some((u) => j.key!.startsWith(`digest:${u.id}:`)))).toEqual([]);

		// The digest's own link turns it off.
		const url = new URL(digest!.headers.get('list-unsubscribe')!.slice(1, -1));
		await unsubscribe(t.db, await readUnsubscribeLink(t.db, url.searchParams));
		expect((await t.db.selectFrom('users').select('digest').where('id', '=', reader.id).executeTakeFirstOrThrow()).digest).toBe('off');
	});

	it('the mail settings write path takes off, daily or weekly from members only', async () => {
		const member = await makeUser(t.db, 'participant');
		expect((await t.db.selectFrom('users').select('digest').where('id', '=', member.id).executeTakeFirstOrThrow()).digest).toBe('weekly');
		await expect(setDigestFrequency(t.db, member.actor, { digest: 'hourly' })).rejects.toMatchObject({ status: 400, fields: { digest: { key: 'digest_error_invalid' } } });
		await expect(setDigestFrequency(t.db, member.actor, {})).rejects.toMatchObject({ status: 400 });
		await expect(setDigestFrequency(t.db, GUEST, { digest: 'off' })).rejects.toMatchObject({ status: 401 });
		expect(await setDigestFrequency(t.db, member.actor, { digest: 'daily' })).toBe('daily');
		expect((await t.db.selectFrom('users').select('digest').where('id', '=', member.id).executeTakeFirstOrThrow()).digest).toBe('daily');
	});

	it('invitation mail goes through the queue and SMTP, and the stored copy of its link is cleared once sent', async () => {
		const moderator = await makeUser(t.db, 'moderator');
		const invitation = await createInvitation(
			t.db,
			moderator.actor,
			{ email: 'ny.medlem@ystad.se', organisationId: await organisationId(t.db, 'ystad'), role: 'participant' },
			{ origin: ORIGIN, locale: 'sv', mail: queuedMailTransport(t.db) }
		);
		const queued = await t.db.selectFrom('jobs').select(['id', 'payload']).where('kind', '=', 'mail').orderBy('id', 'desc').executeTakeFirstOrThrow();
		expect(JSON.stringify(queued.payload)).toContain(invitation.token);
		await worker.drain();
		const [mail] = mailsTo('ny.medlem@ystad.se');
		expect(mail!.subject).toBe('Inbjudan till Kommuntorget');
		expect(mail!.text).toContain(invitation.url);
		const done = await t.db.selectFrom('jobs').select(['payload', 'done_at']).where('id', '=', queued.id).executeTakeFirstOrThrow();
		expect(done.done_at).not.toBeNull();
		expect(done.payload).toEqual({});
	});

	it('re-renders stored HTML older than the renderer, in batches, and leaves current rows alone', async () => {
		const writer = await makeUser(t.db, 'participant');
		const { thread } = await startThread(t.db, writer.actor, await theme('valfardsteknik'), { title: 'Omrendering', body: '**fet** text' });
		const ids = (await t.db.selectFrom('posts').select('id').where('thread_id', '=', thread.id).execute()).map((p) => p.id);
		ids.push((await reply(t.db, writer.actor, thread.id, { body: '_kursiv_' })).post.id);
		ids.push((await reply(t.db, writer.actor, thread.id, { body: 'vanlig' })).post.id);
		const current = (await reply(t.db, writer.actor, thread.id, { body: 'aktuell' })).post.id;
		await sql`update posts set html = '<p>gammal</p>', renderer_version = ${MARKDOWN_RENDERER_VERSION - 1} where id in (${sql.join(ids)})`.execute(t.db);
		await sql`update posts set html = '<p>orörd</p>' where id = ${current}`.execute(t.db);
		expect(await rerenderBatch({ db: t.db }, 2)).toMatchObject({ again: expect.any(Date) });
		expect(await rerenderBatch({ db: t.db }, 2)).toBeUndefined();
		const rows = await t.db.selectFrom('posts').select(['id', 'html', 'renderer_version']).where('thread_id', '=', thread.id).orderBy('id').execute();
		expect(rows.find((r) => r.id === ids[0])!.html).toContain('<strong>fet</strong>');
		expect(rows.find((r) => r.id === ids[1])!.html).toContain('<em>kursiv</em>');
		expect(rows.filter((r) => ids.includes(r.id)).every((r) => r.renderer_version === MARKDOWN_RENDERER_VERSION)).toBe(true);
		expect(rows.find((r) => r.id === current)!.html).toBe('<p>orörd</p>');
		expect(JOB_HANDLERS[RERENDER_JOB]).toBeDefined();
	});
});
