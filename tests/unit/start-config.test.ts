/**
 * Settings that make no sense stop the server's start (hooks.server.ts `init`) with a message
 * naming the variable, before anything listens: a typo must not leave an instance running on a
 * default, or retrying its start-up for ever while it answers 503.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

describe('start-up settings', () => {
	afterEach(() => {
		vi.unstubAllEnvs();
		vi.resetModules();
	});

	it.each([
		['PAGE_CACHE_MB', 'lots', /PAGE_CACHE_MB must be a number of megabytes/],
		['RATE_LIMITS', 'post=often', /RATE_LIMITS/],
		['DATABASE_PREPARED_STATEMENTS', 'sometimes', /DATABASE_PREPARED_STATEMENTS must be on or off/]
	])('refuses %s=%j at init', async (name, value, message) => {
		vi.stubEnv(name, value);
		// Were the setting let through, the start must not open a database of this checkout's.
		vi.stubEnv('DATABASE_URL', 'postgres://kommuntorget@127.0.0.1:9/nowhere');
		vi.resetModules();
		const { init } = await import('../../src/hooks.server');
		await expect(Promise.resolve().then(() => init())).rejects.toThrow(message);
	});
});
