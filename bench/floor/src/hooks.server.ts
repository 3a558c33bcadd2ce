import type { ServerInit } from '@sveltejs/kit';
import { loadPages } from '$lib/pages';

// At start, as the forum opens its database at start: no request pays for reading the file.
export const init: ServerInit = () => loadPages();
