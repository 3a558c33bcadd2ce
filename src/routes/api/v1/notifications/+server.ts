import { endpoint } from '$lib/server/api/http';
import { NotificationListQuery, parseQuery, type NotificationPageBody } from '$lib/server/api/contract';
import { listNotifications, unreadNotificationCount } from '$lib/server/notifications/notifications';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = endpoint(async ({ url, locals }): Promise<NotificationPageBody> => {
	const { page } = parseQuery(NotificationListQuery, url);
	const list = await listNotifications(locals.db, locals.actor, { page });
	return {
		notifications: list.items.map(({ target, ...n }) => ({ ...n, url: `${url.origin}${target}` })),
		unread: await unreadNotificationCount(locals.db, locals.actor),
		page: list.page,
		pageCount: list.pageCount
	};
});
