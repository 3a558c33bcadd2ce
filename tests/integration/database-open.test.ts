/**
 * How the app opens its embedded database (src/lib/server/db/index.ts): PGlite with small shared
 * buffers, because they live in WebAssembly memory that never shrinks (PostgreSQL's default 128 MB
 * made ~250 MB of the process's resident memory).
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
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
});
