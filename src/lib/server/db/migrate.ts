/** Runs db/migrations with Kysely's Migrator, at start-up and from `npm run db:migrate`. */
import { Migrator, type MigrationResultSet } from 'kysely';
import { migrations } from '../../../../db/migrations/index';
import type { Db } from './index';

export async function migrateToLatest(db: Db): Promise<MigrationResultSet> {
	const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
	const result = await migrator.migrateToLatest();
	if (result.error) throw result.error;
	return result;
}
