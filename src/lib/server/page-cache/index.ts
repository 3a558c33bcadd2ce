/** The page cache's configuration and its LISTEN (see store.ts for how it stays correct). */
import type { DatabaseHandle } from '../db/index';
import { log } from '../log';
import type { ListenedMemory } from './listened';
import { parseInvalidation, type PageCacheOptions } from './store';

export const PAGE_CACHE_CHANNEL = 'page_cache';

/** PAGE_CACHE_MB (default 32; 0 turns the cache off, e.g. for an instance that must always render). */
export function pageCacheConfigFromEnv(env: NodeJS.ProcessEnv = process.env): PageCacheOptions {
	const text = env.PAGE_CACHE_MB ?? '32';
	const mb = Number(text);
	if (!/^\d+(\.\d+)?$/.test(text.trim()) || !Number.isFinite(mb)) throw new Error(`PAGE_CACHE_MB must be a number of megabytes (0 turns the cache off), not "${text}"`);
	return { maxBytes: Math.round(mb * 1024 * 1024) };
}

/** Keeps the page cache and the kept reads (kept-reads.ts) in step with the database. */
export async function listenForPageChanges(handle: Pick<DatabaseHandle, 'listen'>, memories: ListenedMemory[]): Promise<() => Promise<void>> {
	const unlisten = await handle.listen(PAGE_CACHE_CHANNEL, {
		onMessage: (payload) => {
			const message = parseInvalidation(payload);
			for (const memory of memories) memory.invalidate(message);
		},
		onLost: () => {
			for (const memory of memories) memory.disconnected();
		},
		onReconnect: () => {
			log.info('page cache listening again; emptied it');
			for (const memory of memories) memory.connected();
		}
	});
	for (const memory of memories) memory.connected();
	return async () => {
		for (const memory of memories) memory.disconnected();
		await unlisten();
	};
}
