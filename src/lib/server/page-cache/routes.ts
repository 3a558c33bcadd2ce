/**
 * Which anonymous pages are kept, and under which tags. A page is tagged with what a change to a
 * public thread makes stale: the thread's own pages, its theme's, its tracks', the start page.
 * Pages whose content is harder to pin down (the wiki, organisations, profiles, lists of tracks)
 * carry `any`, which every public forum change drops; changes to anything else flush everything
 * (see migration 0006). The JSON API's public lists are kept the same way. Search is not kept:
 * its keys are endless and it has its own rate limit.
 */
import { parseThreadRef } from '$lib/input-rules';

/** Query parameters any kept page may carry (pages, SvelteKit's data requests). */
const PAGE_PARAMS = ['page', 'x-sveltekit-invalidated', 'x-sveltekit-trailing-slash'];
/** The JSON API's list parameters (a guest's API call reads what the guest's page shows). */
const LIST_PARAMS = ['limit', 'cursor', 'theme'];

interface Rule {
	tags: (params: Partial<Record<string, string>>) => string[] | null;
	params?: readonly string[];
}

const threadTags = (params: Partial<Record<string, string>>) => {
	const id = parseThreadRef(params.ref ?? params.id ?? '');
	return id === null ? null : [`thread:${id}`];
};

const RULES: Record<string, Rule> = {
	'/': { tags: () => ['start'] },
	'/feed.xml': { tags: () => ['start'] },
	'/themes/[slug=slug]': { tags: (p) => [`theme:${p.slug}`] },
	'/themes/[slug=slug]/feed.xml': { tags: (p) => [`theme:${p.slug}`] },
	'/tracks/[slug=slug]': { tags: (p) => [`track:${p.slug}`] },
	'/tracks/[slug=slug]/feed.xml': { tags: (p) => [`track:${p.slug}`] },
	'/t/[ref=ref]': { tags: threadTags },
	'/t/[ref=ref]/feed.xml': { tags: threadTags },
	'/tracks': { tags: () => ['any'] },
	'/organisations': { tags: () => ['any'] },
	'/organisations/[slug=slug]': { tags: () => ['any'] },
	'/users/[id=id]': { tags: () => ['any'] },
	'/wiki': { tags: () => ['any'] },
	'/wiki/browse': { tags: () => ['any'] },
	'/wiki/[slug=slug]': { tags: () => ['any'] },
	'/wiki/[slug=slug]/history': { tags: () => ['any'] },
	'/accessibility': { tags: () => ['any'] },
	// Every public thread's change reaches the lists, the catalogue's counts and the start page alike.
	'/api/v1/threads': { tags: () => ['start'], params: LIST_PARAMS },
	'/api/v1/themes': { tags: () => ['start'] },
	'/api/v1/tracks': { tags: () => ['start'] },
	'/api/v1/threads/[id=id]': { tags: threadTags },
	'/api/v1/threads/[id=id]/posts': { tags: threadTags, params: LIST_PARAMS }
};

export function cacheTags(routeId: string | null, params: Partial<Record<string, string>>, url: URL): string[] | null {
	const rule = routeId === null ? undefined : RULES[routeId];
	if (!rule) return null;
	const allowed = rule.params ?? PAGE_PARAMS;
	for (const name of url.searchParams.keys()) if (!allowed.includes(name)) return null;
	return rule.tags(params);
}
