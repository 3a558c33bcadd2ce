/** The UI name of a role, in the reader's language. */
import * as m from '$lib/paraglide/messages.js';

export function roleName(role: string): string {
	return role === 'admin' ? m.role_admin() : role === 'moderator' ? m.role_moderator() : m.role_participant();
}
