import { endpoint } from '$lib/server/api/http';
import type { ReactionStateBody } from '$lib/server/api/contract';
import { pathId } from '$lib/server/input';
import { toggleReaction } from '$lib/server/forum/posting';
import type { RequestHandler } from './$types';

/** PUT gives the reaction, DELETE takes it back; both are idempotent. */
const setReaction = (active: boolean): RequestHandler =>
	endpoint(async ({ params, locals }): Promise<ReactionStateBody> => {
		const result = await toggleReaction(locals.db, locals.actor, pathId(params.id), { kind: params.kind, active });
		return { kind: result.kind, active: result.active };
	});

export const PUT = setReaction(true);
export const DELETE = setReaction(false);
