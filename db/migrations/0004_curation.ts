/**
 * Curation (issue #5): members nominate posts for the wiki, moderators decide in one queue that
 * also holds abuse reports and proposed wiki edits; wiki pages keep every change as a revision
 * (with a snapshot of the structured fields, so a revert restores everything), old slugs redirect,
 * and sources keep their attribution as data even if the post changes later. Moderation adds
 * hidden posts, suspensions and an audit log; notifications store nomination outcomes for later.
 * Number 0003 is taken by the real-time work. SQL kept to what PostgreSQL 15 and 18 both accept.
 */
import { sql, type Kysely } from 'kysely';

const CLASSIFICATIONS = sql`('good_example', 'enabler', 'obstacle', 'lesson')`;

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.alterTable('users')
		.addColumn('suspended_until', 'timestamptz')
		.addColumn('suspension_reason', 'text')
		.addColumn('suspended_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.execute();

	await db.schema
		.alterTable('posts')
		.addColumn('hidden_at', 'timestamptz')
		.addColumn('hidden_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('hidden_reason', 'text')
		.execute();

	await db.schema
		.createTable('wiki_pages')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('slug', 'text', (c) => c.notNull().unique())
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('track_id', 'integer', (c) => c.notNull().references('tracks.id'))
		.addColumn('theme_id', 'integer', (c) => c.references('themes.id').onDelete('set null'))
		.addColumn('classification', 'text', (c) => c.check(sql`classification in ${CLASSIFICATIONS}`))
		.addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('visibility', 'text', (c) => c.notNull().defaultTo('public').check(sql`visibility in ('public', 'members')`))
		.addColumn('featured_at', 'timestamptz')
		.addColumn('next_review_on', 'date')
		// The good example's comparable fields.
		.addColumn('problem', 'text')
		.addColumn('what_was_done', 'text')
		.addColumn('result', 'text')
		.addColumn('effort', 'text')
		.addColumn('contact_name', 'text')
		.addColumn('contact_organisation_id', 'integer', (c) => c.references('organisations.id').onDelete('set null'))
		.addColumn('current_revision_id', 'integer')
		.addColumn('revision_count', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('wiki_pages_track_idx').on('wiki_pages').columns(['track_id', 'updated_at']).execute();
	await db.schema.createIndex('wiki_pages_theme_idx').on('wiki_pages').column('theme_id').execute();
	await db.schema.createIndex('wiki_pages_updated_idx').on('wiki_pages').column('updated_at').execute();
	await sql`create index wiki_pages_featured_idx on wiki_pages (featured_at) where featured_at is not null`.execute(db);
	await sql`create index wiki_pages_review_idx on wiki_pages (next_review_on) where next_review_on is not null`.execute(db);

	await db.schema
		.createTable('wiki_revisions')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('page_id', 'integer', (c) => c.notNull().references('wiki_pages.id').onDelete('cascade'))
		.addColumn('number', 'integer', (c) => c.notNull())
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('body', 'text', (c) => c.notNull())
		.addColumn('html', 'text', (c) => c.notNull())
		.addColumn('renderer_version', 'integer', (c) => c.notNull())
		.addColumn('change_summary', 'text', (c) => c.notNull().defaultTo(''))
		// Everything else on the page at this revision (summary, classification, good-example fields,
		// organisations, tags), so a revert restores the whole page, not only its text.
		.addColumn('fields', 'jsonb', (c) => c.notNull())
		.addColumn('reverted_from', 'integer')
		.addColumn('author_id', 'integer', (c) => c.notNull().references('users.id'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addUniqueConstraint('wiki_revisions_page_number_key', ['page_id', 'number'])
		.execute();
	await sql`alter table wiki_pages add constraint wiki_pages_current_revision_fkey
		foreign key (current_revision_id) references wiki_revisions (id) on delete set null`.execute(db);

	await db.schema
		.createTable('wiki_page_organisations')
		.addColumn('page_id', 'integer', (c) => c.notNull().references('wiki_pages.id').onDelete('cascade'))
		.addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
		.addPrimaryKeyConstraint('wiki_page_organisations_pkey', ['page_id', 'organisation_id'])
		.execute();
	await db.schema.createIndex('wiki_page_organisations_org_idx').on('wiki_page_organisations').column('organisation_id').execute();

	await db.schema
		.createTable('wiki_page_tags')
		.addColumn('page_id', 'integer', (c) => c.notNull().references('wiki_pages.id').onDelete('cascade'))
		.addColumn('tag', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('wiki_page_tags_pkey', ['page_id', 'tag'])
		.execute();
	await db.schema.createIndex('wiki_page_tags_tag_idx').on('wiki_page_tags').column('tag').execute();

	// Old slugs of renamed pages; a page's own current slug is never in here.
	await db.schema
		.createTable('wiki_slug_redirects')
		.addColumn('slug', 'text', (c) => c.primaryKey())
		.addColumn('page_id', 'integer', (c) => c.notNull().references('wiki_pages.id').onDelete('cascade'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();

	// `[[Sidnamn]]` links by target slug, so creating or renaming a page can re-render the pages
	// that pointed at it while it was missing.
	await db.schema
		.createTable('wiki_links')
		.addColumn('page_id', 'integer', (c) => c.notNull().references('wiki_pages.id').onDelete('cascade'))
		.addColumn('target_slug', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('wiki_links_pkey', ['page_id', 'target_slug'])
		.execute();
	await db.schema.createIndex('wiki_links_target_idx').on('wiki_links').column('target_slug').execute();

	await db.schema
		.createTable('nominations')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('post_id', 'integer', (c) => c.notNull().references('posts.id').onDelete('cascade'))
		.addColumn('nominator_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('reason', 'text', (c) => c.notNull().check(sql`char_length(reason) between 10 and 500`))
		.addColumn('classification', 'text', (c) => c.check(sql`classification in ${CLASSIFICATIONS}`))
		.addColumn('status', 'text', (c) =>
			c.notNull().defaultTo('pending').check(sql`status in ('pending', 'promoted', 'declined', 'withdrawn')`)
		)
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('decided_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('decided_at', 'timestamptz')
		.addColumn('decision_reason', 'text')
		.addColumn('wiki_page_id', 'integer', (c) => c.references('wiki_pages.id').onDelete('set null'))
		.execute();
	// One live nomination per member and post; after a withdrawal or a decline one may nominate again.
	await sql`create unique index nominations_active_key on nominations (post_id, nominator_id)
		where status in ('pending', 'promoted')`.execute(db);
	await sql`create index nominations_pending_idx on nominations (post_id) where status = 'pending'`.execute(db);

	await db.schema
		.createTable('wiki_sources')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('page_id', 'integer', (c) => c.notNull().references('wiki_pages.id').onDelete('cascade'))
		.addColumn('post_id', 'integer', (c) => c.references('posts.id').onDelete('set null'))
		.addColumn('thread_id', 'integer', (c) => c.references('threads.id').onDelete('set null'))
		.addColumn('nomination_id', 'integer', (c) => c.references('nominations.id').onDelete('set null'))
		// Attribution as it was when the post was taken in; kept even if the post changes or goes.
		.addColumn('author_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('author_name', 'text', (c) => c.notNull())
		.addColumn('organisation_id', 'integer', (c) => c.references('organisations.id').onDelete('set null'))
		.addColumn('organisation_name', 'text', (c) => c.notNull())
		.addColumn('thread_title', 'text', (c) => c.notNull())
		.addColumn('post_number', 'integer')
		.addColumn('posted_at', 'timestamptz', (c) => c.notNull())
		.addColumn('added_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addUniqueConstraint('wiki_sources_page_post_key', ['page_id', 'post_id'])
		.execute();
	await db.schema.createIndex('wiki_sources_post_idx').on('wiki_sources').column('post_id').execute();

	await db.schema
		.createTable('wiki_edit_proposals')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('page_id', 'integer', (c) => c.notNull().references('wiki_pages.id').onDelete('cascade'))
		.addColumn('proposer_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('base_revision_id', 'integer', (c) => c.references('wiki_revisions.id').onDelete('set null'))
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('body', 'text', (c) => c.notNull())
		.addColumn('change_summary', 'text', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull().defaultTo('pending').check(sql`status in ('pending', 'accepted', 'rejected')`))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('decided_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('decided_at', 'timestamptz')
		.addColumn('decision_reason', 'text')
		.addColumn('revision_id', 'integer', (c) => c.references('wiki_revisions.id').onDelete('set null'))
		.execute();
	await sql`create index wiki_edit_proposals_pending_idx on wiki_edit_proposals (created_at) where status = 'pending'`.execute(db);

	await db.schema
		.createTable('reports')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('post_id', 'integer', (c) => c.notNull().references('posts.id').onDelete('cascade'))
		.addColumn('reporter_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('reason', 'text', (c) => c.notNull().check(sql`char_length(reason) between 5 and 500`))
		.addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status in ('open', 'resolved', 'dismissed')`))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('resolved_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('resolved_at', 'timestamptz')
		.addColumn('resolution_note', 'text')
		.execute();
	await sql`create unique index reports_open_key on reports (post_id, reporter_id) where status = 'open'`.execute(db);
	await sql`create index reports_open_idx on reports (created_at) where status = 'open'`.execute(db);

	await db.schema
		.createTable('audit_log')
		.addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('actor_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('action', 'text', (c) => c.notNull())
		.addColumn('target_type', 'text', (c) => c.notNull())
		.addColumn('target_id', 'integer')
		.addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('audit_log_created_idx').on('audit_log').column('created_at').execute();
	await db.schema.createIndex('audit_log_actor_idx').on('audit_log').columns(['actor_id', 'created_at']).execute();
	await db.schema.createIndex('audit_log_action_idx').on('audit_log').columns(['action', 'created_at']).execute();

	await db.schema
		.createTable('notifications')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('payload', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('read_at', 'timestamptz')
		.execute();
	await db.schema.createIndex('notifications_user_idx').on('notifications').columns(['user_id', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	for (const table of [
		'notifications',
		'audit_log',
		'reports',
		'wiki_edit_proposals',
		'wiki_sources',
		'nominations',
		'wiki_links',
		'wiki_slug_redirects',
		'wiki_page_tags',
		'wiki_page_organisations'
	]) {
		await db.schema.dropTable(table).execute();
	}
	await sql`alter table wiki_pages drop constraint wiki_pages_current_revision_fkey`.execute(db);
	await db.schema.dropTable('wiki_revisions').execute();
	await db.schema.dropTable('wiki_pages').execute();
	await db.schema.alterTable('posts').dropColumn('hidden_at').dropColumn('hidden_by').dropColumn('hidden_reason').execute();
	await db.schema.alterTable('users').dropColumn('suspended_until').dropColumn('suspension_reason').dropColumn('suspended_by').execute();
}
