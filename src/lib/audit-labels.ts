/** The audit log's actions and targets in the reader's language. */
import * as m from '$lib/paraglide/messages.js';

const ACTIONS: Record<string, () => string> = {
	'post.hide': m.audit_action_post_hide,
	'post.unhide': m.audit_action_post_unhide,
	'post.delete': m.audit_action_post_delete,
	'thread.lock': m.audit_action_thread_lock,
	'thread.unlock': m.audit_action_thread_unlock,
	'thread.pin': m.audit_action_thread_pin,
	'thread.unpin': m.audit_action_thread_unpin,
	'thread.move': m.audit_action_thread_move,
	'user.suspend': m.audit_action_user_suspend,
	'user.unsuspend': m.audit_action_user_unsuspend,
	'report.resolve': m.audit_action_report_resolve,
	'report.dismiss': m.audit_action_report_dismiss,
	'nomination.decline': m.audit_action_nomination_decline,
	'nomination.promote': m.audit_action_nomination_promote,
	'wiki.create': m.audit_action_wiki_create,
	'wiki.edit': m.audit_action_wiki_edit,
	'wiki.revert': m.audit_action_wiki_revert,
	'wiki.rename': m.audit_action_wiki_rename,
	'wiki.feature': m.audit_action_wiki_feature,
	'wiki.unfeature': m.audit_action_wiki_unfeature,
	'proposal.accept': m.audit_action_proposal_accept,
	'proposal.reject': m.audit_action_proposal_reject
};

/** An action the page does not know yet (logged by newer code) is shown as its code. */
export function auditActionLabel(action: string): string {
	return ACTIONS[action]?.() ?? action;
}

/** A target without a title of its own: "Inlägg #12", "Anmälan av inlägg #9". */
export function auditTargetFallback(target: { type: string; id: number; postId: number | null }): string {
	switch (target.type) {
		case 'post':
			return m.audit_target_post({ id: target.id });
		case 'thread':
			return m.audit_target_thread({ id: target.id });
		case 'user':
			return m.audit_target_user({ id: target.id });
		case 'wiki_page':
			return m.audit_target_wiki({ id: target.id });
		case 'report':
			return target.postId ? m.audit_target_report({ id: target.postId }) : `${target.type} #${target.id}`;
		case 'proposal':
			return m.audit_target_proposal({ id: target.id });
		default:
			return `${target.type} #${target.id}`;
	}
}
