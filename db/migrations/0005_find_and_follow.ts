/**
 * Find and follow (issue #11): full-text search, following, a notification centre, e-mail with
 * digests, and a job queue.
 *
 * Search: thread titles and post bodies keep their `tsvector` as stored generated columns, so the
 * database keeps them in step with every write path there is or will be (the text is the Markdown
 * source, never the HTML). A wiki page's body lives in its current revision, which a generated
 * column cannot reach, so `wiki_pages.search_vector` is written by the wiki's write path. Titles
 * weigh A, summaries and the good-example fields B, bodies C.
 *
 * Jobs are claimed with `FOR UPDATE SKIP LOCKED` in a short transaction that sets a lease
 * (`locked_until`), then run outside any transaction: PGlite has one connection, and a job that
 * held a transaction while talking to an SMTP server would stall every request.
 *
 * SQL kept to what PostgreSQL 15 and 18 (PGlite) both accept.
 */
import { sql, type Kysely } from 'kysely';

const LEVELS = sql`('watching', 'tracking', 'normal', 'muted')`;

export async function up(db: Kysely<any>): Promise<void> {
	// ---- Search ---------------------------------------------------------------------------------
	await sql`alter table threads add column search_vector tsvector not null
		generated always as (setweight(to_tsvector('swedish'::regconfig, title), 'A')) stored`.execute(db);
	await sql`alter table posts add column search_vector tsvector not null
		generated always as (setweight(to_tsvector('swedish'::regconfig, source), 'C')) stored`.execute(db);
	await sql`alter table wiki_pages add column search_vector tsvector not null default ''::tsvector`.execute(db);
	await sql`update wiki_pages p set search_vector =
		setweight(to_tsvector('swedish'::regconfig, p.title), 'A')
		|| setweight(to_tsvector('swedish'::regconfig, concat_ws(' ', p.summary, p.problem, p.what_was_done, p.result, p.effort)), 'B')
		|| setweight(to_tsvector('swedish'::regconfig, coalesce(r.body, '')), 'C')
		from wiki_pages p2 left join wiki_revisions r on r.id = p2.current_revision_id
		where p2.id = p.id`.execute(db);
	await sql`create index threads_search_idx on threads using gin (search_vector)`.execute(db);
	await sql`create index posts_search_idx on posts using gin (search_vector)`.execute(db);
	await sql`create index wiki_pages_search_idx on wiki_pages using gin (search_vector)`.execute(db);
	// Filters and "newest first" over posts without touching the whole table.
	await db.schema.createIndex('posts_author_created_idx').on('posts').columns(['author_id', 'created_at']).execute();
	await db.schema.createIndex('posts_created_idx').on('posts').column('created_at').execute();
	// Re-rendering stored HTML after MARKDOWN_RENDERER_VERSION changes finds old rows by this.
	await db.schema.createIndex('posts_renderer_version_idx').on('posts').column('renderer_version').execute();

	// ---- Following ------------------------------------------------------------------------------
	for (const [table, column, target] of [
		['thread_follows', 'thread_id', 'threads.id'],
		['theme_follows', 'theme_id', 'themes.id']
	] as const) {
		await db.schema
			.createTable(table)
			.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
			.addColumn(column, 'integer', (c) => c.notNull().references(target).onDelete('cascade'))
			.addColumn('level', 'text', (c) => c.notNull().check(sql`level in ${LEVELS}`))
			// Whether the member chose it (a manual choice is never overridden by auto-watch/track).
			.addColumn('automatic', 'boolean', (c) => c.notNull().defaultTo(false))
			.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
			.addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
			.addPrimaryKeyConstraint(`${table}_pkey`, ['user_id', column])
			.execute();
		await db.schema.createIndex(`${table}_target_idx`).on(table).columns([column, 'level']).execute();
	}

	await db.schema
		.alterTable('users')
		.addColumn('auto_watch_started', 'boolean', (c) => c.notNull().defaultTo(true))
		.addColumn('auto_track_replied', 'boolean', (c) => c.notNull().defaultTo(true))
		// Members who joined before digests existed never asked for one: they start with none; the
		// default for new members is set below.
		.addColumn('digest', 'text', (c) => c.notNull().defaultTo('off').check(sql`digest in ('off', 'daily', 'weekly')`))
		.addColumn('digest_sent_at', 'timestamptz')
		.execute();
	await sql`alter table users alter column digest set default 'weekly'`.execute(db);
	await sql`create index users_lower_name_idx on users (lower(name))`.execute(db);

	// ---- Notifications --------------------------------------------------------------------------
	await db.schema
		.alterTable('notifications')
		// Who caused it (the replier, the moderator…); grouped notifications keep the latest.
		.addColumn('actor_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
		// What it is about, as columns so visibility is re-checked by join when it is shown or sent.
		.addColumn('thread_id', 'integer', (c) => c.references('threads.id').onDelete('cascade'))
		.addColumn('post_id', 'integer', (c) => c.references('posts.id').onDelete('cascade'))
		.addColumn('wiki_page_id', 'integer', (c) => c.references('wiki_pages.id').onDelete('cascade'))
		// Unread notifications with the same key are one (reactions to one post: "Anna och 3 till").
		.addColumn('group_key', 'text')
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('emailed_at', 'timestamptz')
		.execute();
	await sql`create unique index notifications_group_idx on notifications (user_id, group_key)
		where group_key is not null and read_at is null`.execute(db);
	await sql`create index notifications_unread_idx on notifications (user_id, updated_at) where read_at is null`.execute(db);

	await db.schema
		.createTable('notification_preferences')
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('app', 'email', 'off')`))
		.addPrimaryKeyConstraint('notification_preferences_pkey', ['user_id', 'kind'])
		.execute();

	// ---- Jobs -----------------------------------------------------------------------------------
	await db.schema
		.createTable('jobs')
		.addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('payload', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
		// At most one unfinished job per key (e.g. one pending notification mail per member).
		.addColumn('key', 'text')
		.addColumn('run_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('max_attempts', 'integer', (c) => c.notNull().defaultTo(8))
		.addColumn('locked_until', 'timestamptz')
		.addColumn('last_error', 'text')
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('done_at', 'timestamptz')
		.addColumn('failed_at', 'timestamptz')
		.execute();
	await sql`create unique index jobs_key_idx on jobs (key) where key is not null and done_at is null and failed_at is null`.execute(db);
	await sql`create index jobs_due_idx on jobs (run_at) where done_at is null and failed_at is null`.execute(db);

	// Keys the app signs with (one-click unsubscribe links), made here so every instance shares them
	// without configuration. gen_random_uuid() draws from the strong random source.
	await db.schema
		.createTable('app_secrets')
		.addColumn('name', 'text', (c) => c.primaryKey())
		.addColumn('value', 'text', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await sql`insert into app_secrets (name, value)
		values ('mail_links', replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	for (const table of ['app_secrets', 'jobs', 'notification_preferences', 'theme_follows', 'thread_follows']) {
		await db.schema.dropTable(table).execute();
	}
	await sql`drop index notifications_group_idx`.execute(db);
	await sql`drop index notifications_unread_idx`.execute(db);
	await db.schema
		.alterTable('notifications')
		.dropColumn('actor_id')
		.dropColumn('thread_id')
		.dropColumn('post_id')
		.dropColumn('wiki_page_id')
		.dropColumn('group_key')
		.dropColumn('updated_at')
		.dropColumn('emailed_at')
		.execute();
	await sql`drop index users_lower_name_idx`.execute(db);
	await db.schema
		.alterTable('users')
		.dropColumn('auto_watch_started')
		.dropColumn('auto_track_replied')
		.dropColumn('digest')
		.dropColumn('digest_sent_at')
		.execute();
	for (const index of ['posts_renderer_version_idx', 'posts_created_idx', 'posts_author_created_idx', 'wiki_pages_search_idx', 'posts_search_idx', 'threads_search_idx']) {
		await sql`drop index ${sql.raw(index)}`.execute(db);
	}
	await db.schema.alterTable('wiki_pages').dropColumn('search_vector').execute();
	await db.schema.alterTable('posts').dropColumn('search_vector').execute();
	await db.schema.alterTable('threads').dropColumn('search_vector').execute();
}
