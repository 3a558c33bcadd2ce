/**
 * Forum core: threads in themes, posts with stored source and sanitised HTML, every edit kept as a
 * revision, reactions from a fixed set, per-user read positions, personal API tokens, and a
 * mention handle per user.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('users').addColumn('handle', 'text').execute();
	// Existing accounts get a handle from their id; new ones get one from their name (accounts.ts).
	await sql`update users set handle = 'user' || id where handle is null`.execute(db);
	await db.schema.alterTable('users').alterColumn('handle', (c) => c.setNotNull()).execute();
	await db.schema.createIndex('users_handle_key').on('users').column('handle').unique().execute();

	await db.schema
		.createTable('threads')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('theme_id', 'integer', (c) => c.notNull().references('themes.id'))
		.addColumn('author_id', 'integer', (c) => c.notNull().references('users.id'))
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('slug', 'text', (c) => c.notNull())
		.addColumn('visibility', 'text', (c) => c.notNull().check(sql`visibility in ('public', 'members')`))
		.addColumn('pinned', 'boolean', (c) => c.notNull().defaultTo(false))
		.addColumn('locked', 'boolean', (c) => c.notNull().defaultTo(false))
		.addColumn('post_count', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('last_posted_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('last_post_author_id', 'integer', (c) => c.references('users.id'))
		.execute();
	await db.schema
		.createIndex('threads_theme_activity_idx')
		.on('threads')
		.columns(['theme_id', 'pinned', 'last_posted_at'])
		.execute();
	await db.schema.createIndex('threads_activity_idx').on('threads').column('last_posted_at').execute();

	await db.schema
		.createTable('posts')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('thread_id', 'integer', (c) => c.notNull().references('threads.id').onDelete('cascade'))
		// Position in the thread (1 = opening post); permalinks and read state use it.
		.addColumn('number', 'integer', (c) => c.notNull())
		.addColumn('author_id', 'integer', (c) => c.notNull().references('users.id'))
		.addColumn('source', 'text', (c) => c.notNull())
		.addColumn('html', 'text', (c) => c.notNull())
		.addColumn('renderer_version', 'integer', (c) => c.notNull())
		.addColumn('reply_to_post_id', 'integer', (c) => c.references('posts.id').onDelete('set null'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('edited_at', 'timestamptz')
		.addColumn('revision_count', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('deleted_at', 'timestamptz')
		.addColumn('deleted_by', 'integer', (c) => c.references('users.id'))
		.addUniqueConstraint('posts_thread_number_key', ['thread_id', 'number'])
		.execute();
	await db.schema.createIndex('posts_author_idx').on('posts').columns(['author_id', 'created_at']).execute();

	await db.schema
		.createTable('post_revisions')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('post_id', 'integer', (c) => c.notNull().references('posts.id').onDelete('cascade'))
		.addColumn('number', 'integer', (c) => c.notNull())
		.addColumn('source', 'text', (c) => c.notNull())
		.addColumn('editor_id', 'integer', (c) => c.notNull().references('users.id'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addUniqueConstraint('post_revisions_post_number_key', ['post_id', 'number'])
		.execute();

	await db.schema
		.createTable('reactions')
		.addColumn('post_id', 'integer', (c) => c.notNull().references('posts.id').onDelete('cascade'))
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('like', 'insightful', 'thanks')`))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('reactions_pkey', ['post_id', 'user_id', 'kind'])
		.execute();

	await db.schema
		.createTable('thread_reads')
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('thread_id', 'integer', (c) => c.notNull().references('threads.id').onDelete('cascade'))
		.addColumn('last_read_number', 'integer', (c) => c.notNull())
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('thread_reads_pkey', ['user_id', 'thread_id'])
		.execute();

	await db.schema
		.createTable('api_tokens')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('token_hash', 'text', (c) => c.notNull().unique())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('last_used_at', 'timestamptz')
		.addColumn('revoked_at', 'timestamptz')
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	for (const table of ['api_tokens', 'thread_reads', 'reactions', 'post_revisions', 'posts', 'threads']) {
		await db.schema.dropTable(table).execute();
	}
	await db.schema.alterTable('users').dropColumn('handle').execute();
}
