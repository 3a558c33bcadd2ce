/**
 * Signed one-click links for leaving a mailing list (RFC 8058). The link is the credential — it
 * works without a session, from any mail client — so it carries an HMAC-SHA256 over the member's
 * id and the list, keyed with the `mail_links` secret every instance shares (table app_secrets).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

export const MAIL_LISTS = ['notifications', 'digest'] as const;
export type MailList = (typeof MAIL_LISTS)[number];

export const isMailList = (value: unknown): value is MailList => MAIL_LISTS.includes(value as MailList);

const keys = new WeakMap<object, Promise<string>>();

/** The signing key, read once per database handle (it never changes once the migration made it). */
function signingKey(db: Kysely<Database>): Promise<string> {
	let key = keys.get(db);
	if (!key) {
		key = db
			.selectFrom('app_secrets')
			.select('value')
			.where('name', '=', 'mail_links')
			.executeTakeFirstOrThrow()
			.then((row) => row.value);
		key.catch(() => keys.delete(db));
		keys.set(db, key);
	}
	return key;
}

const mac = (key: string, userId: number, list: MailList) =>
	createHmac('sha256', key).update(`unsubscribe:${userId}:${list}`).digest('base64url');

export async function signUnsubscribe(db: Kysely<Database>, userId: number, list: MailList): Promise<string> {
	return mac(await signingKey(db), userId, list);
}

/** Constant-time comparison, so the answer's timing tells nothing about how much of a guess was right. */
export async function verifyUnsubscribe(db: Kysely<Database>, userId: number, list: MailList, signature: string): Promise<boolean> {
	const expected = Buffer.from(mac(await signingKey(db), userId, list));
	const given = Buffer.from(signature);
	return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function unsubscribeUrl(db: Kysely<Database>, origin: string, userId: number, list: MailList): Promise<string> {
	const url = new URL('/unsubscribe', origin);
	url.searchParams.set('u', String(userId));
	url.searchParams.set('l', list);
	url.searchParams.set('s', await signUnsubscribe(db, userId, list));
	return url.href;
}

/** The headers that let a mail client offer "unsubscribe" and do it with one POST. */
export function unsubscribeHeaders(url: string): Record<string, string> {
	return { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}
