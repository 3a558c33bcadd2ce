/**
 * Scale (issue #12): thread lists are ordered by latest activity with the id as tie-break (pages and
 * the API's keyset cursor), and within a theme pinned threads first. The indexes of 0002 stopped
 * one column short of that order, so every list sorted again what the index had almost sorted,
 * and a deep page (OFFSET) read every skipped row from the table. These end with the id and carry
 * what the list filters on (visibility, theme), so `listThreads` picks a page's ids from the index
 * alone (an index-only scan) and reads the table for those rows only. They replace the shorter
 * ones: an index whose columns begin another's only costs writes and planning.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
	await sql`create index threads_theme_pinned_activity_idx on threads (theme_id, pinned, last_posted_at, id) include (visibility)`.execute(db);
	await sql`create index threads_activity_id_idx on threads (last_posted_at, id) include (visibility, theme_id)`.execute(db);
	await db.schema.dropIndex('threads_theme_activity_idx').execute();
	await db.schema.dropIndex('threads_activity_idx').execute();
	await sql`analyze threads`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.createIndex('threads_theme_activity_idx').on('threads').columns(['theme_id', 'pinned', 'last_posted_at']).execute();
	await db.schema.createIndex('threads_activity_idx').on('threads').column('last_posted_at').execute();
	await db.schema.dropIndex('threads_theme_pinned_activity_idx').execute();
	await db.schema.dropIndex('threads_activity_id_idx').execute();
}
