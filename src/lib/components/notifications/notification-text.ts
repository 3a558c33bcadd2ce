/**
 * One sentence per notification, in the reader's language: shared by the notification centre and
 * the header's live announcement, so both say the same thing.
 */
import * as m from '$lib/paraglide/messages.js';
import type { NotificationView } from '$lib/server/notifications/notifications';

export function notificationText(n: NotificationView): string {
	const actor = n.actorName ?? m.notification_someone();
	const thread = n.threadTitle ?? '';
	const page = n.pageTitle ?? '';
	switch (n.kind) {
		case 'mention':
			return m.notification_text_mention({ actor, thread });
		case 'reply':
			return m.notification_text_reply({ actor, thread });
		case 'quote':
			return m.notification_text_quote({ actor, thread });
		case 'reaction':
			return n.others > 0 ? m.notification_text_reaction_others({ actor, others: n.others, thread }) : m.notification_text_reaction({ actor, thread });
		case 'followed_post':
			return m.notification_text_followed_post({ actor, thread });
		case 'nomination_promoted':
			return m.notification_text_nomination_promoted({ page });
		case 'nomination_declined':
			return m.notification_text_nomination_declined({ thread });
		case 'post_moderated':
			return moderated(n, thread);
		case 'proposal_accepted':
			return m.notification_text_proposal_accepted({ page });
		case 'proposal_rejected':
			return m.notification_text_proposal_rejected({ page });
		case 'review_queue':
			return n.count > 1 ? m.notification_text_review_queue_many({ count: n.count }) : m.notification_text_review_queue_one();
	}
}

function moderated(n: NotificationView, thread: string): string {
	switch (n.action) {
		case 'unhidden':
			return m.notification_text_post_moderated_unhidden({ thread });
		case 'deleted':
			return m.notification_text_post_moderated_deleted({ thread });
		case 'moved':
			return m.notification_text_post_moderated_moved({ thread });
		default:
			return m.notification_text_post_moderated_hidden({ thread });
	}
}
