/**
 * Which anonymous pages are kept, and under which tags. A page is tagged with what a change to a
 * public thread makes stale: the thread's own pages, its theme's, its tracks', the start page.
 * Pages whose content is harder to pin down (the wiki, organisations, profiles, lists of tracks)
 * carry `any`, which every public forum change drops; changes to anything else flush everything
 * (see migration 0006). Search is not kept: its keys are endless and it has its own rate limit.
 */
import { parseThreadRef } from '$lib/input-rules';

/** Query parameters a kept page may carry; anything else is rendered fresh (and kept out). */
const CACHEABLE_PARAMS = new Set(['page', 'x-sveltekit-invalidated', 'x-sveltekit-trailing-slash']);

export function cacheTags(routeId: string | null, params: Partial<Record<string, string>>, url: URL): string[] | null {
	for (const name of url.searchParams.keys()) if (!CACHEABLE_PARAMS.has(name)) return null;
	switch (routeId) {
		case '/':
		case '/feed.xml':
			return ['start'];
		case '/themes/[slug=slug]':
		case '/themes/[slug=slug]/feed.xml':
			return [`theme:${params.slug}`];
		case '/tracks/[slug=slug]':
		case '/tracks/[slug=slug]/feed.xml':
			return [`track:${params.slug}`];
		case '/t/[ref=ref]':
		case '/t/[ref=ref]/feed.xml': {
			const id = parseThreadRef(params.ref ?? '');
			return id === null ? null : [`thread:${id}`];
		}
		case '/tracks':
		case '/organisations':
		case '/organisations/[slug=slug]':
		case '/users/[id=id]':
		case '/wiki':
		case '/wiki/browse':
		case '/wiki/[slug=slug]':
		case '/wiki/[slug=slug]/history':
		case '/accessibility':
			return ['any'];
		default:
			return null;
	}
}
