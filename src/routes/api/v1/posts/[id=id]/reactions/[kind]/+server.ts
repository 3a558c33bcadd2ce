import { endpoint } from '$lib/server/api/http';
import { pathId } from '$lib/server/input';
import { getApp } from '$lib/server/app';
import { toggleReaction } from '$lib/server/forum/posting';
import type { RequestHandler } from './$types';

/** PUT gives the reaction, DELETE takes it back; both are idempotent. */
const setReaction = (active: boolean): RequestHandler =>
	endpoint(async ({ params, locals }) => {
		const { db } = await getApp();
		const result = await toggleReaction(db, locals.actor, pathId(params.id), { kind: params.kind, active });
		return { kind: result.kind, active: result.active };
	});

export const PUT = setReaction(true);
export const DELETE = setReaction(false);
