/**
 * Real-time: the table Socket.IO's Postgres adapter uses for signals too large for a NOTIFY
 * payload (8000 bytes). Only used when several instances share PostgreSQL; harmless on PGlite.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('socket_io_attachments')
		.addColumn('id', 'bigserial', (c) => c.unique())
		.addColumn('created_at', 'timestamptz', (c) => c.defaultTo(sql`now()`))
		.addColumn('payload', 'bytea')
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('socket_io_attachments').execute();
}
