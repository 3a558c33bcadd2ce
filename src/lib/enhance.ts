/**
 * For forms that change something on the page the reader is on (react, delete, suggest, hide):
 * with JavaScript, a successful action's redirect becomes a reload of the data in place — no jump
 * to the post's anchor — and a refused one keeps what was typed.
 */
import { invalidateAll } from '$app/navigation';
import type { SubmitFunction } from '@sveltejs/kit';

export const stayInPlace: SubmitFunction = () => async ({ result, update }) => {
	if (result.type === 'redirect') await invalidateAll();
	else await update({ reset: false });
};
