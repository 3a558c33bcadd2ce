/**
 * Foundation: organisations (municipalities and regional bodies), tracks and themes as two axes,
 * users with roles, Lucia sessions, invitations, membership applications, sign-in throttling and
 * accessibility reports. SQL kept to what PostgreSQL 15 (Debian) and 18 (PGlite) both accept.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('organisations')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('kind', 'text', (c) =>
			c.notNull().check(sql`kind in ('municipality', 'region', 'agency', 'other')`)
		)
		.addColumn('code', 'text', (c) => c.unique())
		.addColumn('slug', 'text', (c) => c.notNull().unique())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('short_name', 'text', (c) => c.notNull())
		.addColumn('county_code', 'text')
		.addColumn('county_name', 'text')
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();

	await db.schema
		.createTable('tracks')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('slug', 'text', (c) => c.notNull().unique())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('name_en', 'text', (c) => c.notNull())
		.addColumn('description', 'text', (c) => c.notNull())
		.addColumn('description_en', 'text', (c) => c.notNull())
		.addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();

	await db.schema
		.createTable('themes')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('slug', 'text', (c) => c.notNull().unique())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('name_en', 'text', (c) => c.notNull())
		.addColumn('description', 'text', (c) => c.notNull())
		.addColumn('description_en', 'text', (c) => c.notNull())
		.addColumn('default_visibility', 'text', (c) =>
			c.notNull().defaultTo('public').check(sql`default_visibility in ('public', 'members')`)
		)
		.addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();

	// Themes cut across tracks: "Ledning och förändring" belongs to both.
	await db.schema
		.createTable('theme_tracks')
		.addColumn('theme_id', 'integer', (c) => c.notNull().references('themes.id').onDelete('cascade'))
		.addColumn('track_id', 'integer', (c) => c.notNull().references('tracks.id').onDelete('cascade'))
		.addPrimaryKeyConstraint('theme_tracks_pkey', ['theme_id', 'track_id'])
		.execute();

	// Which organisations take part in the programme, and in which track(s).
	await db.schema
		.createTable('organisation_tracks')
		.addColumn('organisation_id', 'integer', (c) =>
			c.notNull().references('organisations.id').onDelete('cascade')
		)
		.addColumn('track_id', 'integer', (c) => c.notNull().references('tracks.id').onDelete('cascade'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('organisation_tracks_pkey', ['organisation_id', 'track_id'])
		.execute();

	await db.schema
		.createTable('users')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('email', 'text', (c) => c.notNull().unique())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('title', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id'))
		.addColumn('role', 'text', (c) =>
			c.notNull().check(sql`role in ('participant', 'moderator', 'admin')`)
		)
		.addColumn('locale', 'text', (c) => c.check(sql`locale in ('sv', 'en')`))
		.addColumn('password_hash', 'text', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('users_organisation_idx').on('users').column('organisation_id').execute();

	// Lucia sessions; `id` is the SHA-256 of the cookie's token, never the token itself.
	await db.schema
		.createTable('sessions')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('expires_at', 'timestamptz', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();

	await db.schema
		.createTable('invitations')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('token_hash', 'text', (c) => c.notNull().unique())
		.addColumn('email', 'text', (c) => c.notNull())
		.addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id'))
		.addColumn('role', 'text', (c) =>
			c.notNull().check(sql`role in ('participant', 'moderator', 'admin')`)
		)
		.addColumn('invited_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('expires_at', 'timestamptz', (c) => c.notNull())
		.addColumn('accepted_at', 'timestamptz')
		.addColumn('accepted_user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('revoked_at', 'timestamptz')
		.execute();

	await db.schema
		.createTable('membership_applications')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('email', 'text', (c) => c.notNull())
		.addColumn('title', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id'))
		.addColumn('reason', 'text', (c) => c.notNull())
		.addColumn('status', 'text', (c) =>
			c.notNull().defaultTo('pending').check(sql`status in ('pending', 'approved', 'declined')`)
		)
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('decided_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('decided_at', 'timestamptz')
		.addColumn('decision_note', 'text')
		.addColumn('invitation_id', 'integer', (c) => c.references('invitations.id').onDelete('set null'))
		.execute();

	await db.schema
		.createTable('sign_in_attempts')
		.addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('email', 'text', (c) => c.notNull())
		.addColumn('ip', 'text', (c) => c.notNull())
		.addColumn('succeeded', 'boolean', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema
		.createIndex('sign_in_attempts_email_idx')
		.on('sign_in_attempts')
		.columns(['email', 'created_at'])
		.execute();
	await db.schema
		.createIndex('sign_in_attempts_ip_idx')
		.on('sign_in_attempts')
		.columns(['ip', 'created_at'])
		.execute();

	await db.schema
		.createTable('accessibility_reports')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('page_url', 'text', (c) => c.notNull())
		.addColumn('description', 'text', (c) => c.notNull())
		.addColumn('contact_name', 'text')
		.addColumn('contact_email', 'text')
		.addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('handled_at', 'timestamptz')
		.addColumn('handled_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	for (const table of [
		'accessibility_reports',
		'sign_in_attempts',
		'membership_applications',
		'invitations',
		'sessions',
		'users',
		'organisation_tracks',
		'theme_tracks',
		'themes',
		'tracks',
		'organisations'
	]) {
		await db.schema.dropTable(table).execute();
	}
}
