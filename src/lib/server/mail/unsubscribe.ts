/**
 * Leaving a mailing list from a link in a mail: no session, no CSRF token (RFC 8058 one-click POSTs
 * come from the mail provider), so the signed link is the whole credential. "notifications" turns
 * every kind this member gets by e-mail into in-app only; "digest" turns the digest off.
 */
import { sql, type Kysely } from 'kysely';
import { DEFAULT_CHANNEL, NOTIFICATION_KINDS } from '$lib/notification-kinds';
import type { Database } from '../db/schema';
import { DomainError } from '../errors';
import { isMailList, verifyUnsubscribe, type MailList } from './links';

export interface UnsubscribeLink {
	userId: number;
	list: MailList;
	signature: string;
}

const INVALID = () => new DomainError(400, { key: 'mail_unsubscribe_invalid' });

/** Checks a link's parameters and signature; a bad one is a 400 that says nothing about the member. */
export async function readUnsubscribeLink(db: Kysely<Database>, params: URLSearchParams): Promise<UnsubscribeLink> {
	const u = params.get('u') ?? '';
	const list = params.get('l');
	const signature = params.get('s') ?? '';
	if (!/^[1-9][0-9]{0,9}$/.test(u) || !isMailList(list) || !/^[A-Za-z0-9_-]{1,100}$/.test(signature)) throw INVALID();
	const userId = Number(u);
	if (userId > 2_147_483_647 || !(await verifyUnsubscribe(db, userId, list, signature))) throw INVALID();
	return { userId, list, signature };
}

export async function unsubscribe(db: Kysely<Database>, link: UnsubscribeLink): Promise<void> {
	if (link.list === 'digest') {
		await db.updateTable('users').set({ digest: 'off' }).where('id', '=', link.userId).execute();
		return;
	}
	await db.transaction().execute(async (trx) => {
		const user = await trx.selectFrom('users').select('id').where('id', '=', link.userId).forUpdate().executeTakeFirst();
		if (!user) return;
		// Every kind whose channel is e-mail — chosen, or by default with no choice stored — becomes
		// 'app'; kinds turned off stay off.
		const chosen = new Map(
			(await trx.selectFrom('notification_preferences').select(['kind', 'channel']).where('user_id', '=', user.id).execute()).map((p) => [p.kind, p.channel])
		);
		const toApp = NOTIFICATION_KINDS.filter((kind) => (chosen.get(kind) ?? DEFAULT_CHANNEL[kind]) === 'email');
		if (!toApp.length) return;
		await trx
			.insertInto('notification_preferences')
			.values(toApp.map((kind) => ({ user_id: user.id, kind, channel: 'app' as const })))
			.onConflict((oc) => oc.columns(['user_id', 'kind']).doUpdateSet({ channel: sql`excluded.channel` }))
			.execute();
	});
}
