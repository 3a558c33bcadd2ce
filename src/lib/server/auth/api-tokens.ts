/**
 * Personal API tokens: a member creates one in settings for scripts and integrations, sees it once,
 * and can revoke it. Only the SHA-256 is stored. A token acts with its owner's current role.
 */
import { z } from 'zod';
import type { Db } from '../db/index';
import { DomainError, parseInput } from '../errors';
import { authorize, canManageApiTokens, type Actor, type Member } from '../policy';
import { generateToken, hashToken } from './tokens';

const TOKEN_PREFIX = 'kt_';
const MAX_TOKENS = 10;

const createSchema = z.object({ name: z.string().trim().min(1).max(60) });

export async function createApiToken(db: Db, actor: Actor, input: unknown) {
	authorize(canManageApiTokens(actor), actor, 'create API token');
	const { name } = parseInput(createSchema, input);
	const userId = (actor as Member).id;
	const token = `${TOKEN_PREFIX}${generateToken()}`;
	return db.transaction().execute(async (trx) => {
		const { count } = await trx
			.selectFrom('api_tokens')
			.select((eb) => eb.fn.countAll<number>().as('count'))
			.where('user_id', '=', userId)
			.where('revoked_at', 'is', null)
			.executeTakeFirstOrThrow();
		if (Number(count) >= MAX_TOKENS) throw new DomainError(409, { key: 'error_too_many_tokens', params: { max: MAX_TOKENS } });
		const row = await trx
			.insertInto('api_tokens')
			.values({ user_id: userId, name, token_hash: hashToken(token) })
			.returning(['id', 'name', 'created_at'])
			.executeTakeFirstOrThrow();
		return { ...row, token };
	});
}

export async function listApiTokens(db: Db, actor: Actor) {
	authorize(canManageApiTokens(actor), actor, 'list API tokens');
	return db
		.selectFrom('api_tokens')
		.select(['id', 'name', 'created_at', 'last_used_at'])
		.where('user_id', '=', (actor as Member).id)
		.where('revoked_at', 'is', null)
		.orderBy('created_at', 'desc')
		.execute();
}

export async function revokeApiToken(db: Db, actor: Actor, tokenId: number) {
	authorize(canManageApiTokens(actor), actor, 'revoke API token');
	const result = await db
		.updateTable('api_tokens')
		.set({ revoked_at: new Date() })
		.where('id', '=', tokenId)
		.where('user_id', '=', (actor as Member).id)
		.where('revoked_at', 'is', null)
		.executeTakeFirst();
	if (result.numUpdatedRows === 0n) throw new DomainError(404, { key: 'error_not_found' });
}

/** The actor behind a bearer token, or null for an unknown or revoked one. */
export async function actorForApiToken(db: Db, token: string): Promise<(Member & { name: string }) | null> {
	if (!token.startsWith(TOKEN_PREFIX)) return null;
	const row = await db
		.selectFrom('api_tokens')
		.innerJoin('users', 'users.id', 'api_tokens.user_id')
		.select(['api_tokens.id as token_id', 'api_tokens.last_used_at', 'users.id', 'users.role', 'users.organisation_id', 'users.name', 'users.suspended_until'])
		.where('api_tokens.token_hash', '=', hashToken(token))
		.where('api_tokens.revoked_at', 'is', null)
		.executeTakeFirst();
	if (!row) return null;
	// Recording use at most every few minutes keeps reads from turning into writes.
	if (!row.last_used_at || Date.now() - new Date(row.last_used_at).getTime() > 5 * 60_000) {
		await db.updateTable('api_tokens').set({ last_used_at: new Date() }).where('id', '=', row.token_id).execute();
	}
	// The same standing as a session carries: a suspended member's token reads but does not write.
	return { kind: 'user', id: row.id, role: row.role, organisationId: row.organisation_id, name: row.name, suspendedUntil: row.suspended_until };
}
