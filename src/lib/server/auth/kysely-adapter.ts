/**
 * Lucia 3 adapter over our Kysely database. Lucia hands us the session id that lives in the
 * cookie; we store only its SHA-256, so a leaked sessions table cannot be replayed as cookies.
 */
import type { Adapter, DatabaseSession, DatabaseUser } from 'lucia';
import type { Db } from '../db/index';
import { hashToken } from './tokens';

export class KyselyAdapter implements Adapter {
	constructor(private readonly db: Db) {}

	async getSessionAndUser(
		sessionId: string
	): Promise<[session: DatabaseSession | null, user: DatabaseUser | null]> {
		return (await this.getSessionsAndUsers([sessionId])).get(sessionId) ?? [null, null];
	}

	/**
	 * Many sessions in one query (sockets connecting together: realtime/handshake.ts), each as
	 * `getSessionAndUser` gives it; unknown ids are left out.
	 */
	async getSessionsAndUsers(sessionIds: string[]): Promise<Map<string, [session: DatabaseSession, user: DatabaseUser]>> {
		const byHash = new Map(sessionIds.map((id) => [hashToken(id), id]));
		const rows = await this.db
			.selectFrom('sessions')
			.innerJoin('users', 'users.id', 'sessions.user_id')
			.innerJoin('organisations', 'organisations.id', 'users.organisation_id')
			.select([
				'sessions.id as session_hash',
				'sessions.expires_at',
				'users.id as user_id',
				'users.email',
				'users.name',
				'users.title',
				'users.role',
				'users.locale',
				'users.organisation_id',
				'users.suspended_until',
				'organisations.short_name as organisation_name',
				'organisations.slug as organisation_slug'
			])
			.where('sessions.id', 'in', [...byHash.keys()])
			.execute();
		const found = new Map<string, [DatabaseSession, DatabaseUser]>();
		for (const row of rows) {
			const sessionId = byHash.get(row.session_hash)!;
			found.set(sessionId, [
				{ id: sessionId, userId: row.user_id, expiresAt: new Date(row.expires_at), attributes: {} },
				{
					id: row.user_id,
					attributes: {
						email: row.email,
						name: row.name,
						title: row.title,
						role: row.role,
						locale: row.locale,
						organisation_id: row.organisation_id,
						organisation_name: row.organisation_name,
						organisation_slug: row.organisation_slug,
						suspended_until: row.suspended_until
					}
				}
			]);
		}
		return found;
	}

	async getUserSessions(userId: number): Promise<DatabaseSession[]> {
		const rows = await this.db
			.selectFrom('sessions')
			.select(['id', 'expires_at'])
			.where('user_id', '=', userId)
			.execute();
		// Only hashes are stored: these ids identify rows, they are not usable as cookies.
		return rows.map((r) => ({ id: r.id, userId, expiresAt: new Date(r.expires_at), attributes: {} }));
	}

	async setSession(session: DatabaseSession): Promise<void> {
		await this.db
			.insertInto('sessions')
			.values({ id: hashToken(session.id), user_id: session.userId, expires_at: session.expiresAt })
			.execute();
	}

	async updateSessionExpiration(sessionId: string, expiresAt: Date): Promise<void> {
		await this.db
			.updateTable('sessions')
			.set({ expires_at: expiresAt })
			.where('id', '=', hashToken(sessionId))
			.execute();
	}

	async deleteSession(sessionId: string): Promise<void> {
		await this.db.deleteFrom('sessions').where('id', '=', hashToken(sessionId)).execute();
	}

	async deleteUserSessions(userId: number): Promise<void> {
		await this.db.deleteFrom('sessions').where('user_id', '=', userId).execute();
	}

	async deleteExpiredSessions(): Promise<void> {
		await this.db.deleteFrom('sessions').where('expires_at', '<=', new Date()).execute();
	}
}
