import { problem } from '$lib/server/api/http';
import type { RequestHandler } from './$types';

/** Unknown API paths answer in the API's own error format, not with an HTML page. */
export const fallback: RequestHandler = () => problem(404, { detail: 'No such API endpoint. See /api/v1/openapi.json.' });
