/**
 * Makes the integration suites' template databases once per run (see `database.ts`): a PGlite dump
 * in a temporary file and, with TEST_DATABASE_URL, a PostgreSQL template database. Workers start
 * after this and inherit the environment that names them. Teardown drops the template and any
 * database a crashed file left behind.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makePgliteTemplate, makePostgresTemplate, onServer, TEMPLATE_ENV } from './database';

export default async function setup() {
	const run = `${process.pid}_${Date.now().toString(36)}`;
	process.env[TEMPLATE_ENV.run] = run;
	const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'kt-test-'));
	const dumpFile = path.join(dir, 'pglite-template.tar');
	const template = `kt_tpl_${run}`;
	const usePostgres = Boolean(process.env.TEST_DATABASE_URL);

	const [dump] = await Promise.all([makePgliteTemplate(), usePostgres ? makePostgresTemplate(template) : undefined]);
	await fs.promises.writeFile(dumpFile, Buffer.from(await dump.arrayBuffer()));
	process.env[TEMPLATE_ENV.pglite] = dumpFile;
	if (usePostgres) process.env[TEMPLATE_ENV.postgres] = template;

	return async () => {
		await fs.promises.rm(dir, { recursive: true, force: true });
		if (!usePostgres) return;
		await onServer(async (client) => {
			const { rows } = await client.query<{ datname: string }>(`select datname from pg_database where datname like $1`, [`kt\\_%\\_${run}\\_%`]);
			for (const { datname } of [...rows, { datname: template }]) await client.query(`drop database if exists ${datname} with (force)`);
		});
	};
}
