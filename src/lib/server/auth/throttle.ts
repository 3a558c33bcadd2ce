/**
 * Sign-in throttling, per account and per IP, kept in the database so that every app instance
 * counts the same attempts. A window of 15 minutes: 5 failures lock an account, 20 an address.
 */
import { sql } from 'kysely';
import type { Db } from '../db/index';

export const WINDOW_MINUTES = 15;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_IP = 20;

/** Minutes until the caller may try again, or 0 when not throttled. */
export async function signInWaitMinutes(db: Db, email: string, ip: string, now = new Date()): Promise<number> {
	const since = new Date(now.getTime() - WINDOW_MINUTES * 60_000);
	const waitFor = async (column: 'email' | 'ip', value: string, limit: number) => {
		const failures = await db
			.selectFrom('sign_in_attempts')
			.select('created_at')
			.where(column, '=', value)
			.where('succeeded', '=', false)
			.where('created_at', '>', since)
			.orderBy('created_at', 'desc')
			.limit(limit)
			.execute();
		if (failures.length < limit) return 0;
		// Locked until the oldest of the last `limit` failures leaves the window.
		const oldest = new Date(failures[failures.length - 1]!.created_at).getTime();
		return Math.max(1, Math.ceil((oldest + WINDOW_MINUTES * 60_000 - now.getTime()) / 60_000));
	};
	return Math.max(
		await waitFor('email', email, MAX_FAILURES_PER_ACCOUNT),
		await waitFor('ip', ip, MAX_FAILURES_PER_IP)
	);
}

export async function recordSignInAttempt(db: Db, email: string, ip: string, succeeded: boolean) {
	await db.insertInto('sign_in_attempts').values({ email, ip, succeeded }).execute();
	if (succeeded) {
		// A successful sign-in clears the account's slate; the address keeps its count.
		await db
			.deleteFrom('sign_in_attempts')
			.where('email', '=', email)
			.where('succeeded', '=', false)
			.execute();
	}
	// Keep the table small: nothing older than a day matters.
	await db
		.deleteFrom('sign_in_attempts')
		.where('created_at', '<', sql<Date>`now() - interval '1 day'`)
		.execute();
}
