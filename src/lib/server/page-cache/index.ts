/** The page cache's configuration and its LISTEN (see store.ts for how it stays correct). */
import type { DatabaseHandle } from '../db/index';
import { log } from '../log';
import { parseInvalidation, type PageCache, type PageCacheOptions } from './store';

export const PAGE_CACHE_CHANNEL = 'page_cache';

/** PAGE_CACHE_MB (default 32; 0 turns the cache off, e.g. for an instance that must always render). */
export function pageCacheConfigFromEnv(env: NodeJS.ProcessEnv = process.env): PageCacheOptions {
	const text = env.PAGE_CACHE_MB ?? '32';
	const mb = Number(text);
	if (!/^\d+(\.\d+)?$/.test(text.trim()) || !Number.isFinite(mb)) throw new Error(`PAGE_CACHE_MB must be a number of megabytes (0 turns the cache off), not "${text}"`);
	return { maxBytes: Math.round(mb * 1024 * 1024) };
}

export async function listenForPageChanges(handle: Pick<DatabaseHandle, 'listen'>, cache: PageCache): Promise<() => Promise<void>> {
	const unlisten = await handle.listen(PAGE_CACHE_CHANNEL, {
		onMessage: (payload) => cache.invalidate(parseInvalidation(payload)),
		onLost: () => cache.disconnected(),
		onReconnect: () => {
			log.info('page cache listening again; emptied it');
			cache.connected();
		}
	});
	cache.connected();
	return async () => {
		cache.disconnected();
		await unlisten();
	};
}
