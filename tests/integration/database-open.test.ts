/**
 * How the app opens its embedded database (src/lib/server/db/index.ts): PGlite with small shared
 * buffers, because they live in WebAssembly memory that never shrinks (PostgreSQL's default 128 MB
 * made ~250 MB of the process's resident memory), whose statements take turns with the rest of the
 * event loop. V8 is told to optimise PGlite's WebAssembly functions only once they run again and
 * again (a larger tiering budget): start-up code optimised for nothing cost 55–85 MB of RSS.
 */
import v8 from 'node:v8';
import { sql } from 'kysely';
import { describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../src/lib/server/db/index';

describe('openDatabase on PGlite', () => {
	it('opens with 16 MB of shared buffers and still answers queries', async () => {
		const handle = await openDatabase({ dataDir: 'memory://', poolSize: 1 });
		try {
			expect(handle.dialect).toBe('pglite');
			const { rows } = await sql<{ shared_buffers: string }>`show shared_buffers`.execute(handle.db);
			expect(rows[0]!.shared_buffers).toBe('16MB');
			const sum = await sql<{ n: number }>`select sum(g)::int as n from generate_series(1, 1000) g`.execute(handle.db);
			expect(sum.rows[0]!.n).toBe(500500);
		} finally {
			await handle.close();
		}
	});

	it('raises the WebAssembly tiering budget of V8 before PGlite compiles its module', async () => {
		const setFlags = vi.spyOn(v8, 'setFlagsFromString');
		try {
			const handle = await openDatabase({ dataDir: 'memory://', poolSize: 1 });
			await handle.close();
			expect(setFlags).toHaveBeenCalledWith(expect.stringMatching(/^--wasm-tiering-budget=\d{9,}$/));
		} finally {
			setFlags.mockRestore();
		}
	});

	it('lets the event loop poll between statements while many requests queue for the one connection', async () => {
		const handle = await openDatabase({ dataDir: 'memory://', poolSize: 1 });
		try {
			const statements = 300;
			let done = 0;
			// PGlite answers in microtasks: without turns, the whole queue ran before any timer or
			// I/O callback, which held 50 requests' reads (and every timer) for 1–2 s under load.
			let doneWhenTimerFired = -1;
			const timer = new Promise<void>((resolve) =>
				setTimeout(() => {
					doneWhenTimerFired = done;
					resolve();
				}, 0)
			);
			const queries = Array.from({ length: statements }, () =>
				sql`select count(*) from generate_series(1, 20000)`.execute(handle.db).then(() => void done++)
			);
			await Promise.all([timer, ...queries]);
			expect(done).toBe(statements);
			expect(doneWhenTimerFired).toBeGreaterThanOrEqual(0);
			expect(doneWhenTimerFired).toBeLessThan(statements / 2);
		} finally {
			await handle.close();
		}
	});
});
