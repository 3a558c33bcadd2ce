/**
 * Which statement texts get a prepared statement's name (src/lib/server/db/prepared.ts): those
 * that repeat, up to a cap, so that one-off texts never pile up on every pooled connection.
 */
import { describe, expect, it } from 'vitest';
import { StatementNames } from '../../src/lib/server/db/prepared';

describe('StatementNames', () => {
	it('names a text from its second use on, and always the same name', () => {
		const names = new StatementNames();
		expect(names.nameFor('select 1')).toBeUndefined();
		const name = names.nameFor('select 1');
		expect(name).toMatch(/^kt_\d+$/);
		expect(names.nameFor('select 1')).toBe(name);
		expect(names.nameFor('select 2')).toBeUndefined();
		expect(names.nameFor('select 2')).not.toBe(name);
	});

	it('never names a text seen once, however many one-off texts come by', () => {
		const names = new StatementNames(10, 100);
		for (let i = 0; i < 1_000; i++) expect(names.nameFor(`select ${i}`)).toBeUndefined();
		expect(names.size).toBe(0);
	});

	it('stops naming at its cap; texts named before keep their names', () => {
		const names = new StatementNames(3);
		const named = ['a', 'b', 'c'].map((text) => (names.nameFor(text), names.nameFor(text)));
		expect(new Set(named).size).toBe(3);
		expect(names.nameFor('d')).toBeUndefined();
		expect(names.nameFor('d')).toBeUndefined();
		expect(names.size).toBe(3);
		expect(names.nameFor('b')).toBe(named[1]);
	});
});
