/**
 * The editor's @-mention suggestions: which word before the caret is a mention being typed, the
 * members matching it (from /api/v1/users/suggest, debounced, the previous request aborted) and
 * which one is chosen. The markup and keys are MarkdownEditor's (an ARIA 1.2 combobox on the
 * textarea with a listbox); this keeps the state, so it can be reasoned about without the DOM.
 */

export interface MemberSuggestion {
	name: string;
	handle: string;
	organisation: string;
}

/**
 * An `@` at the start or after a space or opening punctuation (not in an e-mail address), then a
 * handle or name being typed: up to two words, so "@anna b" narrows to Anna Berg.
 */
const TYPING_MENTION = /(?:^|[\s([{"'“‘>])@([\p{L}\p{N}][\p{L}\p{N}\p{M}._'’-]*(?: [\p{L}][\p{L}\p{M}'’-]*)?)$/u;
const DEBOUNCE_MS = 180;
const MAX_TYPED = 60;

/** The mention being typed just before `caret`, as the `@` position and the text after it. */
export function mentionAt(text: string, caret: number): { start: number; query: string } | null {
	const before = text.slice(Math.max(0, caret - MAX_TYPED - 2), caret);
	const match = TYPING_MENTION.exec(before);
	if (!match) return null;
	const query = match[1]!;
	return { start: caret - query.length - 1, query };
}

export class MentionSuggestions {
	suggestions = $state<MemberSuggestion[]>([]);
	/** Index of the highlighted option; the first is highlighted when the list opens. */
	active = $state(0);
	/** Whether a lookup has answered for the current mention (so "no member found" can be said). */
	answered = $state(false);
	#mention: { start: number; query: string } | null = $state(null);
	readonly open = $derived(this.#mention !== null && this.answered);
	#timer: ReturnType<typeof setTimeout> | undefined;
	#request: AbortController | undefined;

	/** Call after every input or caret move. */
	update(text: string, caret: number) {
		const mention = mentionAt(text, caret);
		if (!mention) return this.close();
		if (this.#mention && this.#mention.start === mention.start && this.#mention.query === mention.query) return;
		this.#mention = mention;
		clearTimeout(this.#timer);
		this.#timer = setTimeout(() => void this.#lookup(mention.query), DEBOUNCE_MS);
	}

	async #lookup(query: string) {
		this.#request?.abort();
		const request = new AbortController();
		this.#request = request;
		try {
			const response = await fetch(`/api/v1/users/suggest?q=${encodeURIComponent(query)}`, {
				signal: request.signal,
				headers: { accept: 'application/json' }
			});
			if (!response.ok) return this.close();
			const body = (await response.json()) as { members: MemberSuggestion[] };
			if (request.signal.aborted || this.#mention?.query !== query) return;
			this.suggestions = body.members;
			this.active = 0;
			this.answered = true;
		} catch {
			// Aborted by a newer lookup, or offline: the member can still type the handle.
		}
	}

	move(step: 1 | -1) {
		const count = this.suggestions.length;
		if (count) this.active = (this.active + step + count) % count;
	}

	/** The text with the mention replaced by `@handle `, and where the caret goes. */
	insert(text: string, caret: number, index = this.active): { text: string; caret: number } | null {
		const chosen = this.suggestions[index];
		const mention = this.#mention;
		if (!chosen || !mention) return null;
		const inserted = `@${chosen.handle} `;
		const rest = text.slice(caret).replace(/^ /, '');
		this.close();
		return { text: text.slice(0, mention.start) + inserted + rest, caret: mention.start + inserted.length };
	}

	close() {
		clearTimeout(this.#timer);
		this.#request?.abort();
		this.#mention = null;
		this.answered = false;
		this.suggestions = [];
		this.active = 0;
	}
}
