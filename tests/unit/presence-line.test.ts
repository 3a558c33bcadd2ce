/**
 * The thread's "who is reading" line. The server names at most PRESENCE_NAMED members of a big
 * room and counts the rest (`unnamed`); the line must say how many it leaves out, not let a room of
 * 2,000 readers look like 50.
 */
import { render } from 'svelte/server';
import { afterEach, describe, expect, it } from 'vitest';
import PresenceLine from '../../src/lib/components/thread/PresenceLine.svelte';
import { overwriteGetLocale } from '../../src/lib/paraglide/runtime.js';
import type { LiveThread } from '../../src/lib/realtime/live-thread.svelte';
import type { PresenceEvent } from '../../src/lib/realtime/protocol';

const anna = { id: 1, name: 'Anna Berg', organisation: 'Ystad' };
const lena = { id: 2, name: 'Lena Holm', organisation: 'Kiruna' };

function line(presence: PresenceEvent, locale: 'sv' | 'en' = 'sv'): string {
	overwriteGetLocale(() => locale);
	const readers = presence.members.length + presence.unnamed + presence.guests;
	const live = { online: true, presence, readers } as unknown as LiveThread;
	const { body } = render(PresenceLine, { props: { live } });
	// The names paragraph, as text.
	const paragraph = /<details class="presence[^"]*">[\s\S]*?<p[^>]*>([\s\S]*?)<\/p>/.exec(body)?.[1] ?? '';
	return paragraph.replace(/<!--[\s\S]*?-->/g, '').replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();
}

describe('PresenceLine', () => {
	afterEach(() => overwriteGetLocale(() => 'sv'));

	it('says how many readers it does not name, after the names and before the guests', () => {
		expect(line({ threadId: 1, members: [anna, lena], unnamed: 1948, guests: 3 })).toBe(
			'Läser just nu: Anna Berg, Ystad · Lena Holm, Kiruna och 1948 till · 3 gäster'
		);
		expect(line({ threadId: 1, members: [anna, lena], unnamed: 1948, guests: 3 }, 'en')).toBe(
			'Reading now: Anna Berg, Ystad · Lena Holm, Kiruna and 1948 more · 3 guests'
		);
	});

	it('names everyone in a small room without a remainder', () => {
		expect(line({ threadId: 1, members: [anna], unnamed: 0, guests: 1 })).toBe('Läser just nu: Anna Berg, Ystad · 1 gäst');
		expect(line({ threadId: 1, members: [anna, lena], unnamed: 0, guests: 0 })).toBe('Läser just nu: Anna Berg, Ystad · Lena Holm, Kiruna');
		expect(line({ threadId: 1, members: [], unnamed: 0, guests: 2 })).toBe('Läser just nu: 2 gäster');
	});
});
