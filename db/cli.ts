/**
 * Command line for operators: `npm run db:migrate`, `npm run admin -- create-user …`, and the demo
 * seed used by `npm run demo`. Uses the same configuration as the app (DATABASE_URL or DATA_DIR).
 */
import { parseArgs } from 'node:util';
import { createUser, findOrganisationId, ROLES } from '../src/lib/server/auth/accounts';
import { generateToken } from '../src/lib/server/auth/tokens';
import { databaseConfigFromEnv } from '../src/lib/server/config';
import { openDatabase, type DatabaseHandle } from '../src/lib/server/db/index';
import { migrateToLatest } from '../src/lib/server/db/migrate';
import type { Role } from '../src/lib/server/db/schema';
import { DomainError } from '../src/lib/server/errors';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo } from './seeds/demo';
import { seedReferenceData } from './seeds/reference';

const USAGE = `Usage:
  npm run db:migrate
  npm run admin -- create-user --email EMAIL --name NAME --role participant|moderator|admin
                               --organisation CODE_OR_SLUG [--title TITLE] [--password PASSWORD]
  npm run admin -- demo        (migrate, seed reference data and demo content)`;

async function withDatabase(work: (handle: DatabaseHandle) => Promise<void>) {
	const config = databaseConfigFromEnv();
	const handle = await openDatabase(config);
	try {
		await migrateToLatest(handle.db);
		await seedReferenceData(handle.db);
		await work(handle);
	} finally {
		await handle.close();
	}
}

async function main(argv: string[]) {
	const [command, ...rest] = argv;
	switch (command) {
		case 'migrate':
			await withDatabase(async (h) => console.info(`Database is migrated and seeded (${h.dialect}).`));
			return;
		case 'create-user': {
			const { values } = parseArgs({
				args: rest,
				options: {
					email: { type: 'string' },
					name: { type: 'string' },
					title: { type: 'string', default: '' },
					role: { type: 'string', default: 'participant' },
					organisation: { type: 'string' },
					password: { type: 'string' }
				}
			});
			if (!values.email || !values.name || !values.organisation) throw new UsageError('--email, --name and --organisation are required');
			if (!ROLES.includes(values.role as Role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
			const password = values.password ?? generateToken().slice(0, 20);
			await withDatabase(async ({ db }) => {
				const organisationId = await findOrganisationId(db, values.organisation!);
				if (!organisationId) throw new UsageError(`Unknown organisation "${values.organisation}" (use a municipality code such as 1280, or a slug such as skr)`);
				const user = await createUser(db, {
					email: values.email!,
					name: values.name!,
					title: values.title,
					role: values.role as Role,
					organisationId,
					password
				});
				console.info(`Created ${user.role} ${user.name} <${user.email}> (id ${user.id}).`);
				if (!values.password) console.info(`Generated password: ${password}`);
			});
			return;
		}
		case 'demo':
			await withDatabase(async ({ db }) => {
				const created = await seedDemo(db);
				console.info(created ? '\nDemo content created.' : '\nDemo content already present.');
				console.info(`\nDemo accounts (password for all: ${DEMO_PASSWORD}):`);
				for (const a of DEMO_ACCOUNTS.slice(0, 3)) console.info(`  ${a.role.padEnd(12)} ${a.email.padEnd(34)} ${a.name}`);
				console.info(`\nOpen http://localhost:${process.env.PORT || 3000} once the server below says it is listening.\n`);
			});
			return;
		default:
			throw new UsageError(command ? `Unknown command "${command}"` : 'No command given');
	}
}

class UsageError extends Error {}

main(process.argv.slice(2)).catch((error: unknown) => {
	if (error instanceof UsageError) {
		console.error(`${error.message}\n\n${USAGE}`);
	} else if (error instanceof DomainError) {
		console.error(`Refused: ${error.detail.key} ${JSON.stringify(error.fields)}`);
	} else {
		console.error(error);
	}
	process.exit(1);
});
