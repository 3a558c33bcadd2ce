import type { PageLoad } from './$types';

// Runs before hydration too, so a member's page hydrates with the tools the server rendered.
export const load: PageLoad = async ({ data, parent }) => {
	const { user } = await parent();
	return { ...data, memberTools: user ? await import('$lib/components/thread/member-tools') : null };
};
