import type { LayoutLoad } from './$types';

// The header's live notification badge is a member's; a guest's browser never downloads it. Runs
// before hydration too, so a member's header hydrates with the badge the server rendered.
export const load: LayoutLoad = async ({ data }) => ({
	...data,
	NotificationBadge: data.user ? (await import('$lib/components/notifications/NotificationBadge.svelte')).default : null
});
