/**
 * Page cache invalidation (issue #12). Anonymous pages are served from each instance's memory; what
 * makes an entry stale is a committed change to the rows it shows, so the database itself says so:
 * triggers on the tables that guest pages read send a NOTIFY on channel `page_cache`, delivered on
 * commit to every instance (a rolled-back write invalidates nothing). Triggers rather than calls in
 * the write functions: every write path there is or will be — moderation, re-render jobs, an
 * operator's SQL — is covered, which a forgotten call could not promise.
 *
 * Precise for the forum: a statement touching posts, threads, reactions, revisions or nominations
 * names the public threads it touched, with their themes and tracks; a thread that is members-only
 * before and after names nothing, so members' talk never empties the public cache. Every other table
 * a guest page shows (people's names, organisations, themes, the wiki) flushes everything: those
 * change rarely and their reach is wide. Tables no guest page reads have no trigger; the
 * integration test checks that every table is classified one way or the other.
 *
 * Statement-level triggers with transition tables: one NOTIFY per statement, not per row, so a bulk
 * insert of thousands of posts costs one query. PostgreSQL folds identical payloads in a
 * transaction into one. Payloads over NOTIFY's 8,000-byte limit become a flush.
 */
import { sql, type Kysely } from 'kysely';

/** Tables whose every change flushes the whole cache (their rows show on many public pages). */
export const FLUSH_TABLES = [
	'organisations',
	'tracks',
	'themes',
	'theme_tracks',
	'organisation_tracks',
	'wiki_pages',
	'wiki_revisions',
	'wiki_page_organisations',
	'wiki_page_tags',
	'wiki_slug_redirects',
	'wiki_links',
	'wiki_sources'
] as const;

/** Tables whose rows belong to one thread: the threads they touch are named precisely. */
export const THREAD_TABLES = ['threads', 'posts', 'reactions', 'post_revisions', 'nominations'] as const;

export async function up(db: Kysely<any>): Promise<void> {
	// Sends the touched public threads (id, theme slug, track slugs) for a set of thread ids and the
	// visibility/theme they had; the caller passes both the old and the new rows of a statement.
	await sql`
		create function kt_page_cache_threads(touched jsonb) returns void language plpgsql as $fn$
		declare
			list json;
			payload text;
		begin
			-- Ordered, so that the same threads give the same text: PostgreSQL folds identical
			-- payloads of one transaction (a reply's post insert and its thread update) into one.
			select json_agg(json_build_object(
				'id', t.id,
				'theme', th.slug,
				'tracks', (select coalesce(json_agg(tr.slug order by tr.slug), '[]'::json) from theme_tracks tt join tracks tr on tr.id = tt.track_id where tt.theme_id = th.id)
			) order by t.id, th.slug)
			into list
			from (
				select distinct (e->>'id')::int as id, (e->>'theme')::int as theme_id
				from jsonb_array_elements(touched) e
				where e->>'visibility' = 'public'
			) t
			join themes th on th.id = t.theme_id;
			if list is null then
				return;
			end if;
			payload := json_build_object('threads', list)::text;
			if octet_length(payload) > 7900 then
				payload := '{"all":true}';
			end if;
			perform pg_notify('page_cache', payload);
		end
		$fn$`.execute(db);

	// One trigger function for the five thread tables and both directions. Rows of a thread table
	// are turned into (thread id, theme id, visibility) triples: a thread's own row as it was / is,
	// a post's thread as it is now (a moved post has its old thread in the old rows).
	await sql`
		create function kt_page_cache_thread_rows() returns trigger language plpgsql as $fn$
		declare
			touched jsonb := '[]'::jsonb;
			part jsonb;
		begin
			if TG_TABLE_NAME = 'threads' then
				if TG_OP in ('UPDATE', 'DELETE') then
					select coalesce(jsonb_agg(jsonb_build_object('id', o.id, 'theme', o.theme_id, 'visibility', o.visibility)), '[]'::jsonb) into part from old_rows o;
					touched := touched || part;
				end if;
				if TG_OP in ('INSERT', 'UPDATE') then
					select coalesce(jsonb_agg(jsonb_build_object('id', n.id, 'theme', n.theme_id, 'visibility', n.visibility)), '[]'::jsonb) into part from new_rows n;
					touched := touched || part;
				end if;
			elsif TG_TABLE_NAME = 'posts' then
				if TG_OP in ('UPDATE', 'DELETE') then
					select coalesce(jsonb_agg(jsonb_build_object('id', t.id, 'theme', t.theme_id, 'visibility', t.visibility)), '[]'::jsonb) into part
					from threads t where t.id in (select o.thread_id from old_rows o);
					touched := touched || part;
				end if;
				if TG_OP in ('INSERT', 'UPDATE') then
					select coalesce(jsonb_agg(jsonb_build_object('id', t.id, 'theme', t.theme_id, 'visibility', t.visibility)), '[]'::jsonb) into part
					from threads t where t.id in (select n.thread_id from new_rows n);
					touched := touched || part;
				end if;
			else
				-- reactions, post_revisions, nominations: rows that point at a post.
				if TG_OP in ('UPDATE', 'DELETE') then
					select coalesce(jsonb_agg(jsonb_build_object('id', t.id, 'theme', t.theme_id, 'visibility', t.visibility)), '[]'::jsonb) into part
					from threads t where t.id in (select p.thread_id from posts p where p.id in (select o.post_id from old_rows o));
					touched := touched || part;
				end if;
				if TG_OP in ('INSERT', 'UPDATE') then
					select coalesce(jsonb_agg(jsonb_build_object('id', t.id, 'theme', t.theme_id, 'visibility', t.visibility)), '[]'::jsonb) into part
					from threads t where t.id in (select p.thread_id from posts p where p.id in (select n.post_id from new_rows n));
					touched := touched || part;
				end if;
			end if;
			perform kt_page_cache_threads(touched);
			return null;
		end
		$fn$`.execute(db);

	await sql`
		create function kt_page_cache_flush() returns trigger language plpgsql as $fn$
		begin
			perform pg_notify('page_cache', '{"all":true}');
			return null;
		end
		$fn$`.execute(db);

	for (const table of THREAD_TABLES) {
		const t = sql.table(table);
		await sql`create trigger ${sql.raw(`${table}_page_cache_insert`)} after insert on ${t}
			referencing new table as new_rows for each statement execute function kt_page_cache_thread_rows()`.execute(db);
		await sql`create trigger ${sql.raw(`${table}_page_cache_update`)} after update on ${t}
			referencing old table as old_rows new table as new_rows for each statement execute function kt_page_cache_thread_rows()`.execute(db);
		await sql`create trigger ${sql.raw(`${table}_page_cache_delete`)} after delete on ${t}
			referencing old table as old_rows for each statement execute function kt_page_cache_thread_rows()`.execute(db);
	}
	for (const table of FLUSH_TABLES) {
		await sql`create trigger ${sql.raw(`${table}_page_cache_flush`)} after insert or update or delete or truncate on ${sql.table(table)}
			for each statement execute function kt_page_cache_flush()`.execute(db);
	}
	// People: only what guest pages show of them (a sign-in, a setting or a suspension shows nowhere).
	await sql`create trigger users_page_cache_flush after update of name, title, handle, organisation_id, role on users
		for each statement execute function kt_page_cache_flush()`.execute(db);
	await sql`create trigger users_page_cache_flush_rows after insert or delete on users
		for each statement execute function kt_page_cache_flush()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	for (const table of THREAD_TABLES) {
		for (const op of ['insert', 'update', 'delete']) await sql`drop trigger if exists ${sql.raw(`${table}_page_cache_${op}`)} on ${sql.table(table)}`.execute(db);
	}
	for (const table of FLUSH_TABLES) await sql`drop trigger if exists ${sql.raw(`${table}_page_cache_flush`)} on ${sql.table(table)}`.execute(db);
	await sql`drop trigger if exists users_page_cache_flush on users`.execute(db);
	await sql`drop trigger if exists users_page_cache_flush_rows on users`.execute(db);
	await sql`drop function if exists kt_page_cache_flush()`.execute(db);
	await sql`drop function if exists kt_page_cache_thread_rows()`.execute(db);
	await sql`drop function if exists kt_page_cache_threads(jsonb)`.execute(db);
}
