/**
 * The page cache as a SvelteKit handle, last in the sequence: after the rate limit (a cached page
 * still counts against the visitor's limit) and after the language is settled (the locale is part
 * of the key, and the page was rendered in it). Only guests' GET and HEAD requests that carry no
 * cookie but the language one are answered from it; a signed-in member's pages are never kept
 * (they are `private, no-store`, see hooks.server.ts).
 *
 * A kept page is sent with a strong ETag and `Cache-Control: no-cache`: any cache, the browser's or
 * a proxy's, may keep it but must ask again every time, and gets a 304 while nothing changed, so
 * no cache can serve a page this server has dropped; `Vary: Cookie` keeps a member's request from
 * being answered with a guest's copy.
 */
import type { Handle, RequestEvent } from '@sveltejs/kit';
import { cookieName } from '$lib/paraglide/runtime.js';
import { parseCookies } from '../cookies';
import { isMember } from '../policy';
import { localeCookieOptions } from '../i18n';
import { cacheTags } from './routes';
import type { CachedPage, PageCache } from './store';

/** Headers the cached copy keeps; the rest is per request or set again by the outer handles. */
const KEPT_HEADERS = new Set(['content-type', 'content-security-policy', 'link', 'x-sveltekit-page']);

export const CACHE_CONTROL = 'no-cache';
export const VARY = 'Accept-Encoding, Accept-Language, Cookie';

function cacheable(event: RequestEvent): boolean {
	const { request } = event;
	if (request.method !== 'GET' && request.method !== 'HEAD') return false;
	if (isMember(event.locals.actor) || request.headers.has('authorization')) return false;
	// Any cookie but the language one (an expired session being cleared, say) is rendered fresh.
	return [...parseCookies(request.headers.get('cookie') ?? undefined).keys()].every((name) => name === cookieName);
}

function respond(event: RequestEvent, entry: CachedPage, cache: PageCache, state: 'hit' | 'miss'): Response {
	const headers = new Headers(entry.headers);
	// As CDNs say it: lets an operator (and the tests) see whether the page came from the cache.
	headers.set('X-Cache', state);
	headers.set('ETag', entry.etag);
	headers.set('Cache-Control', CACHE_CONTROL);
	headers.set('Vary', VARY);
	// What the language handle would have set on a rendered page (SvelteKit adds cookies only there).
	// The request's own cookie: event.cookies already holds what the language handle set.
	if (parseCookies(event.request.headers.get('cookie') ?? undefined).get(cookieName) !== event.locals.locale) {
		headers.append('Set-Cookie', event.cookies.serialize(cookieName, event.locals.locale, localeCookieOptions));
	}
	const ifNoneMatch = event.request.headers.get('if-none-match');
	if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === entry.etag)) {
		for (const name of ['content-type', 'content-security-policy', 'link']) headers.delete(name);
		return new Response(null, { status: 304, headers });
	}
	const { body, encoding } = cache.encoded(entry, event.request.headers.get('accept-encoding'));
	if (encoding) headers.set('Content-Encoding', encoding);
	headers.set('Content-Length', String(body.length));
	return new Response(event.request.method === 'HEAD' ? null : new Uint8Array(body), { status: entry.status, headers });
}

export function pageCacheHandle(getCache: () => Promise<PageCache | undefined>): Handle {
	return async ({ event, resolve }) => {
		if (!cacheable(event)) return resolve(event);
		const cache = await getCache();
		if (!cache?.enabled) return resolve(event);
		// The origin too: API bodies carry absolute links.
		const key = `${event.locals.locale} ${event.url.origin}${event.url.pathname}${event.url.search}${event.isDataRequest ? ' data' : ''}`;
		const hit = cache.get(key);
		if (hit) return respond(event, hit, cache, 'hit');

		const generation = cache.begin();
		const response = await resolve(event);
		const tags = response.status === 200 ? cacheTags(event.route.id, event.params, event.url) : null;
		if (!tags || event.request.method !== 'GET' || !response.body) return response;
		const cacheControl = response.headers.get('cache-control') ?? '';
		if (/no-store|private/.test(cacheControl)) return response;
		// Only the language cookie may be set on a page that is kept (it is set again per visitor).
		const cookies = response.headers.getSetCookie();
		if (cookies.some((c) => !c.startsWith(`${cookieName}=`))) return response;

		const body = Buffer.from(await response.arrayBuffer());
		const headers: [string, string][] = [];
		response.headers.forEach((value, name) => {
			if (KEPT_HEADERS.has(name)) headers.push([name, value]);
		});
		const entry = cache.put(key, generation, { status: response.status, headers, body, tags });
		if (entry) return respond(event, entry, cache, 'miss');
		return new Response(body, { status: response.status, headers: response.headers });
	};
}
