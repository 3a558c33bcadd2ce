/**
 * The bundle's part of a graceful shutdown (src/lib/server/app.ts, `hostBridge().shutdown`): the
 * database closes only after the requests the hooks are handling, which may still run after the
 * host has given up on their connections; requests that arrive meanwhile are turned away (the
 * hooks answer them 503) instead of reaching a database that is closing. On embedded PGlite in a
 * temporary folder: the app's own start-up, migrations and seed included.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, expect, it, vi } from 'vitest';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-app-shutdown-'));

afterEach(() => {
	vi.unstubAllEnvs();
	vi.resetModules();
	fs.rmSync(dataDir, { recursive: true, force: true });
});

it('closes the database after the running request, and turns new requests away meanwhile', async () => {
	vi.stubEnv('DATABASE_URL', '');
	vi.stubEnv('DATA_DIR', dataDir);
	vi.stubEnv('LOG_LEVEL', 'warn');
	vi.resetModules();
	const { beginRequest, getApp } = await import('../../src/lib/server/app');
	const { hostBridge } = await import('../../src/lib/server/host-bridge');
	const { db } = await getApp();
	const bridge = hostBridge();
	try {
		const end = beginRequest();
		expect(end).toBeTypeOf('function');
		const shutdown = bridge.shutdown!();
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(beginRequest()).toBeUndefined();
		// The running request still has its database.
		await expect(sql`select 1 as one`.execute(db)).resolves.toMatchObject({ rows: [{ one: 1 }] });
		end!();
		await shutdown;
		await expect(sql`select 1`.execute(db)).rejects.toThrow(/destroyed/);
	} finally {
		// The bridge is a process-wide global: leave nothing of this app for another file.
		bridge.shutdown = undefined;
	}
}, 60_000);
