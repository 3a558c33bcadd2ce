/** SANITISER_IDLE_MS: what it accepts, and a start that stops on anything else. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_IDLE_MS, sanitiserIdleMsFromEnv } from '../../src/lib/server/sanitiser';

afterEach(() => {
	vi.unstubAllEnvs();
});

describe('SANITISER_IDLE_MS', () => {
	it('is ten minutes when unset', () => {
		expect(sanitiserIdleMsFromEnv({})).toBe(DEFAULT_IDLE_MS);
	});

	it.each([
		['1000', 1_000],
		[' 60000 ', 60_000],
		['2147483647', 2_147_483_647]
	])('takes %j', (value, ms) => {
		expect(sanitiserIdleMsFromEnv({ SANITISER_IDLE_MS: value })).toBe(ms);
	});

	it.each(['', ' ', '0', '999', '-5000', '1.5', '1e6', '10m', 'ten minutes', '2147483648', 'Infinity'])('refuses %j, naming the variable', (value) => {
		expect(() => sanitiserIdleMsFromEnv({ SANITISER_IDLE_MS: value })).toThrow(/^SANITISER_IDLE_MS must be a whole number of milliseconds from 1000 to 2147483647/);
	});

	it('stops the start: the renderer hooks.server.ts imports does not load with a bad value', async () => {
		vi.stubEnv('SANITISER_IDLE_MS', '0');
		vi.resetModules();
		await expect(import('../../src/lib/server/markdown')).rejects.toThrow(/SANITISER_IDLE_MS/);
	});
});
