/**
 * Unsent text kept in the browser, so a reply survives a reload, a lost connection or a crash.
 * Local only: nothing leaves the machine until the member sends it.
 */
const PREFIX = 'kommuntorget:draft:';

function storage(): Storage | null {
	try {
		return typeof localStorage === 'undefined' ? null : localStorage;
	} catch {
		return null; // storage disabled by policy or privacy settings
	}
}

export function loadDraft(key: string): string | null {
	return storage()?.getItem(PREFIX + key) ?? null;
}

export function saveDraft(key: string, text: string): void {
	const store = storage();
	if (!store) return;
	try {
		if (text.trim()) store.setItem(PREFIX + key, text);
		else store.removeItem(PREFIX + key);
	} catch {
		// Quota exceeded: the draft just is not kept.
	}
}

export function clearDraft(key: string): void {
	storage()?.removeItem(PREFIX + key);
}
