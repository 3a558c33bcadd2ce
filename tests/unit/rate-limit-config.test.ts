/** RATE_LIMITS: what it accepts, and a clear refusal of everything else. */
import { describe, expect, it } from 'vitest';
import { defaultRateLimits, describeWindows, LIMIT_KIND_NAMES, parseRateLimits, RateLimitConfigError } from '../../src/lib/server/rate-limit/limits';

describe('RATE_LIMITS', () => {
	it('keeps the defaults when unset or empty', () => {
		expect(parseRateLimits(undefined)).toEqual(defaultRateLimits());
		expect(parseRateLimits(' , ')).toEqual(defaultRateLimits());
	});

	it('overrides the named kinds, with units, several windows and off', () => {
		const config = parseRateLimits('post=5/1m+50/1h, thread=2/600 ,socket=off,apply=1/1d,api=100/30s');
		expect(config.post).toEqual([
			{ points: 5, seconds: 60 },
			{ points: 50, seconds: 3600 }
		]);
		expect(config.thread).toEqual([{ points: 2, seconds: 600 }]);
		expect(config.socket).toEqual([]);
		expect(config.apply).toEqual([{ points: 1, seconds: 86_400 }]);
		expect(config.api).toEqual([{ points: 100, seconds: 30 }]);
		expect(config.react).toEqual(defaultRateLimits().react);
	});

	it.each([
		['posts=10/60', /unknown kind "posts"/],
		['post', /"post" is not kind=limit/],
		['post=ten/60', /"post=ten\/60" is not understood/],
		['post=10', /is not understood/],
		['post=10/60x', /is not understood/],
		['post=-1/60', /is not understood/],
		['post=0/60', /number of points/],
		['post=10/0', /duration/],
		['post=10/30d', /duration/],
		['post=10/60,post=20/60', /given twice/],
		['post=10/60+20/1m', /two windows of the same duration/],
		['__proto__=1/60', /unknown kind/]
	])('refuses %s', (value, message) => {
		expect(() => parseRateLimits(value)).toThrow(RateLimitConfigError);
		expect(() => parseRateLimits(value)).toThrow(message);
	});

	it('names every kind in the error, so the fix is in the message', () => {
		expect(() => parseRateLimits('nope=1/1')).toThrow(LIMIT_KIND_NAMES.join(', '));
	});

	it('describes windows as they would be written', () => {
		expect(describeWindows([{ points: 10, seconds: 60 }, { points: 120, seconds: 3600 }])).toBe('10/1m + 120/1h');
		expect(describeWindows([{ points: 30, seconds: 10 }])).toBe('30/10s');
		expect(describeWindows([])).toBe('off');
		for (const kind of LIMIT_KIND_NAMES) {
			const written = describeWindows(defaultRateLimits()[kind]).replace(/ /g, '');
			expect(parseRateLimits(`${kind}=${written}`)[kind]).toEqual(defaultRateLimits()[kind]);
		}
	});
});
