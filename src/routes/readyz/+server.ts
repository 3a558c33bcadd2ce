/** Readiness: migrated and the database answers; 503 while it is away or the process is stopping. */
import { readiness } from '$lib/server/app';
import { RETRY_AFTER_SECONDS } from '$lib/server/db/availability';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async () => {
	const state = await readiness();
	return new Response(JSON.stringify(state.ready ? { status: 'ready' } : { status: 'unavailable', reason: state.reason }), {
		status: state.ready ? 200 : 503,
		headers: {
			'Content-Type': 'application/json',
			'Cache-Control': 'no-store',
			...(state.ready ? {} : { 'Retry-After': String(RETRY_AFTER_SECONDS) })
		}
	});
};
