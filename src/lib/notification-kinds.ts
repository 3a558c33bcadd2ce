/**
 * What a member can be notified about, and how each kind reaches them unless they chose otherwise.
 * Shared by the write paths (which store notifications), the mail jobs (which send them), the
 * settings page and the notification centre.
 */
export const NOTIFICATION_KINDS = [
	'mention',
	'reply',
	'quote',
	'reaction',
	'followed_post',
	'nomination_promoted',
	'nomination_declined',
	'post_moderated',
	'proposal_accepted',
	'proposal_rejected',
	'review_queue'
] as const;

export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const NOTIFICATION_CHANNELS = ['app', 'email', 'off'] as const;
export type NotificationChannelChoice = (typeof NOTIFICATION_CHANNELS)[number];

/**
 * Defaults follow what a Facebook-group member is used to: being addressed (a mention, a reply, a
 * decision on one's own suggestion or post) comes by e-mail too, unless already read in the app;
 * reactions and quotes stay in the app; the review queue is a moderator's work list, not mail.
 */
export const DEFAULT_CHANNEL: Record<NotificationKind, NotificationChannelChoice> = {
	mention: 'email',
	reply: 'email',
	quote: 'app',
	reaction: 'app',
	followed_post: 'email',
	nomination_promoted: 'email',
	nomination_declined: 'email',
	post_moderated: 'email',
	proposal_accepted: 'email',
	proposal_rejected: 'email',
	review_queue: 'app'
};

/** Minutes a notification mail waits, so a burst becomes one message and what was read is skipped. */
export const NOTIFICATION_MAIL_DELAY_MINUTES = 10;
