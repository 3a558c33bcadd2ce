import { endpoint } from '$lib/server/api/http';
import { MemberSuggestQuery, parseQuery, SUGGEST_LIMIT, type MemberSuggestionBody } from '$lib/server/api/contract';
import { authorize, canSuggestMembers } from '$lib/server/policy';
import { suggestMembers } from '$lib/server/users/suggest';
import type { RequestHandler } from './$types';

/** The editor's @-mention suggestions: members only, at most SUGGEST_LIMIT. */
export const GET: RequestHandler = endpoint(async ({ url, locals }): Promise<{ members: MemberSuggestionBody[] }> => {
	// A guest gets 401 whatever the query: not even its validation is theirs to probe.
	authorize(canSuggestMembers(locals.actor), locals.actor, 'suggest members');
	const { q } = parseQuery(MemberSuggestQuery, url);
	return { members: await suggestMembers(locals.db, locals.actor, q, SUGGEST_LIMIT) };
});
