import type { PageLoad } from './$types';

// Following is a member's control: a guest's browser never downloads it. Runs before hydration
// too, so a member's page hydrates with the control the server rendered.
export const load: PageLoad = async ({ data }) => ({
	...data,
	FollowControl: data.followLevel ? (await import('$lib/components/notifications/FollowControl.svelte')).default : null
});
