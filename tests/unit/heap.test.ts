/**
 * The one full collection after start-up (src/lib/server/heap.ts): it really collects, and it
 * leaves no `gc` function behind for other code to call.
 */
import { describe, expect, it } from 'vitest';
import { collectStartupGarbage } from '../../src/lib/server/heap';

describe('collectStartupGarbage', () => {
	it('collects garbage left behind, without exposing gc to anyone else', () => {
		let garbage: { n: number; text: string }[] | null = Array.from({ length: 300_000 }, (_, n) => ({ n, text: `rad ${n} `.repeat(4) }));
		const held = process.memoryUsage().heapUsed;
		expect(garbage.length).toBe(300_000);
		garbage = null;
		collectStartupGarbage();
		expect(process.memoryUsage().heapUsed).toBeLessThan(held - 20 * 1024 * 1024);
		expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
	});
});
