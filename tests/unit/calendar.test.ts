import { describe, expect, it } from 'vitest';
import { startOfSwedishDay } from '../../src/lib/server/calendar';
import { suspensionUntil } from '../../src/lib/server/moderation/suspension-period';

describe('days picked in forms are Swedish days', () => {
	it('begins a winter day at 23:00 UTC the evening before, a summer day at 22:00', () => {
		expect(startOfSwedishDay('2025-01-15')?.toISOString()).toBe('2025-01-14T23:00:00.000Z');
		expect(startOfSwedishDay('2025-07-01')?.toISOString()).toBe('2025-06-30T22:00:00.000Z');
	});

	it('handles the nights the clocks change and counts days forward', () => {
		expect(startOfSwedishDay('2025-03-30')?.toISOString()).toBe('2025-03-29T23:00:00.000Z');
		expect(startOfSwedishDay('2025-03-30', 1)?.toISOString()).toBe('2025-03-30T22:00:00.000Z');
		expect(startOfSwedishDay('2025-12-31', 1)?.toISOString()).toBe('2025-12-31T23:00:00.000Z');
	});

	it('refuses what is not a day', () => {
		for (const bad of ['', 'i morgon', '2025-02-30', '2025-13-01', '15/01/2025']) expect(startOfSwedishDay(bad), bad).toBeNull();
	});
});

describe('the suspension form\'s period', () => {
	const now = new Date('2025-05-01T10:00:00Z');
	it('counts quick periods from now and custom days from Swedish midnight', () => {
		expect(suspensionUntil({ period: 'day' }, now)).toEqual(new Date('2025-05-02T10:00:00Z'));
		expect(suspensionUntil({ period: 'week', until: '2030-01-01' }, now)).toEqual(new Date('2025-05-08T10:00:00Z'));
		expect(suspensionUntil({ period: 'month' }, now)).toEqual(new Date('2025-05-31T10:00:00Z'));
		expect(suspensionUntil({ period: 'custom', until: '2025-06-10' }, now)).toEqual(new Date('2025-06-09T22:00:00Z'));
		expect(suspensionUntil({ period: 'custom', until: ' ' }, now)).toBeUndefined();
		expect(suspensionUntil({ period: 'custom', until: 'snart' }, now)).toBe('snart');
	});
});
