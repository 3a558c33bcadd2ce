/**
 * Validated sessions kept per instance (auth/session-memory.ts) are dropped when the database says
 * that what they answer changed: a session row updated (its expiry slid) or deleted (sign-out, sign
 * out everywhere, a password or role change, a cascade from its user), a user's deletion or a
 * change to a column the session's user carries (lucia.ts `sessionUser`), or an organisation's
 * short name or slug. Triggers rather than calls in the write paths, as for the page cache (0006):
 * an operator's SQL or a future write path is covered too.
 *
 * They speak on channel `page_cache`, as a message kind of their own (`{"sessions":{…}}`): every
 * instance already holds that LISTEN, and the memories on it share one rule (nothing kept while it
 * is down, all dropped when it is back), so a second channel would cost a second connection per
 * instance and a second copy of that rule. Instances that do not know the kind read it as "flush
 * everything", which is safe.
 *
 * Statement-level with transition tables (one NOTIFY per statement), comparing old and new rows, so
 * an update that leaves these columns alone (a digest sent, a password hash) says nothing. Session
 * ids are the SHA-256 hex the adapter stores. Payloads over 7,900 bytes become "drop every session".
 * Inserts say nothing: a new session is in nobody's memory.
 */
import { sql, type Kysely } from 'kysely';

/** The user columns a validated session carries (lucia.ts `SessionUserAttributes`, less the organisation's). */
export const SESSION_USER_COLUMNS = ['email', 'name', 'title', 'role', 'locale', 'organisation_id', 'suspended_until'] as const;

export async function up(db: Kysely<any>): Promise<void> {
	await sql`
		create function kt_session_cache_notify(kind text, list json) returns void language plpgsql as $fn$
		declare
			payload text;
		begin
			if list is null then
				return;
			end if;
			payload := json_build_object('sessions', json_build_object(kind, list))::text;
			if octet_length(payload) > 7900 then
				payload := '{"sessions":{"all":true}}';
			end if;
			perform pg_notify('page_cache', payload);
		end
		$fn$`.execute(db);

	// Ordered, so that repeated statements give the same text and PostgreSQL folds them in a transaction.
	await sql`
		create function kt_session_cache_sessions() returns trigger language plpgsql as $fn$
		declare
			list json;
		begin
			select json_agg(distinct o.id order by o.id) into list from old_rows o;
			perform kt_session_cache_notify('ids', list);
			return null;
		end
		$fn$`.execute(db);

	const changed = sql.join(
		SESSION_USER_COLUMNS.map((column) => sql`o.${sql.ref(column)} is distinct from n.${sql.ref(column)}`),
		sql` or `
	);
	await sql`
		create function kt_session_cache_users() returns trigger language plpgsql as $fn$
		declare
			list json;
		begin
			if TG_OP = 'DELETE' then
				select json_agg(distinct o.id order by o.id) into list from old_rows o;
			else
				select json_agg(distinct o.id order by o.id) into list
				from old_rows o join new_rows n on n.id = o.id
				where ${changed};
			end if;
			perform kt_session_cache_notify('users', list);
			return null;
		end
		$fn$`.execute(db);

	await sql`
		create function kt_session_cache_organisations() returns trigger language plpgsql as $fn$
		declare
			list json;
		begin
			select json_agg(distinct o.id order by o.id) into list
			from old_rows o join new_rows n on n.id = o.id
			where o.short_name is distinct from n.short_name or o.slug is distinct from n.slug;
			perform kt_session_cache_notify('organisations', list);
			return null;
		end
		$fn$`.execute(db);

	// A column list (`update of …`) cannot go with transition tables; the functions compare instead.
	await sql`create trigger sessions_session_cache_update after update on sessions
		referencing old table as old_rows new table as new_rows for each statement execute function kt_session_cache_sessions()`.execute(db);
	await sql`create trigger sessions_session_cache_delete after delete on sessions
		referencing old table as old_rows for each statement execute function kt_session_cache_sessions()`.execute(db);
	await sql`create trigger users_session_cache_update after update on users
		referencing old table as old_rows new table as new_rows for each statement execute function kt_session_cache_users()`.execute(db);
	await sql`create trigger users_session_cache_delete after delete on users
		referencing old table as old_rows for each statement execute function kt_session_cache_users()`.execute(db);
	await sql`create trigger organisations_session_cache_update after update on organisations
		referencing old table as old_rows new table as new_rows for each statement execute function kt_session_cache_organisations()`.execute(db);
	// TRUNCATE has no transition tables and no cascade to row triggers: drop every session.
	await sql`
		create function kt_session_cache_truncate() returns trigger language plpgsql as $fn$
		begin
			perform pg_notify('page_cache', '{"sessions":{"all":true}}');
			return null;
		end
		$fn$`.execute(db);
	for (const table of ['sessions', 'users', 'organisations']) {
		await sql`create trigger ${sql.raw(`${table}_session_cache_truncate`)} after truncate on ${sql.table(table)}
			for each statement execute function kt_session_cache_truncate()`.execute(db);
	}
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`drop trigger if exists sessions_session_cache_update on sessions`.execute(db);
	await sql`drop trigger if exists sessions_session_cache_delete on sessions`.execute(db);
	await sql`drop trigger if exists users_session_cache_update on users`.execute(db);
	await sql`drop trigger if exists users_session_cache_delete on users`.execute(db);
	await sql`drop trigger if exists organisations_session_cache_update on organisations`.execute(db);
	for (const table of ['sessions', 'users', 'organisations']) await sql`drop trigger if exists ${sql.raw(`${table}_session_cache_truncate`)} on ${sql.table(table)}`.execute(db);
	await sql`drop function if exists kt_session_cache_truncate()`.execute(db);
	await sql`drop function if exists kt_session_cache_organisations()`.execute(db);
	await sql`drop function if exists kt_session_cache_users()`.execute(db);
	await sql`drop function if exists kt_session_cache_sessions()`.execute(db);
	await sql`drop function if exists kt_session_cache_notify(text, json)`.execute(db);
}
