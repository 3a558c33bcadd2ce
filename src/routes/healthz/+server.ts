/** Liveness: the process runs and serves HTTP. Never touches the database (a restart of it must not get us killed). */
import type { RequestHandler } from './$types';

export const GET: RequestHandler = () =>
	new Response(JSON.stringify({ status: 'ok' }), { headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' } });
