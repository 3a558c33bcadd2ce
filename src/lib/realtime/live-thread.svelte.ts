/**
 * One thread page's live state: its posts as they change, new posts held back while the reader is
 * further up, nominations, who is reading and typing, and the polite announcements of new posts.
 * It follows the page's load data (a new load starts again from the server's list) and keeps it
 * current through the shared connection, catching up after every (re)connect.
 */
import { tick, untrack } from 'svelte';
import { invalidateAll } from '$app/navigation';
import * as m from '$lib/paraglide/messages.js';
import { live, type LiveSocket } from './live.svelte';
import {
	TYPING_EXPIRES_MS,
	TYPING_THROTTLE_MS,
	type LivePost,
	type LiveViewer,
	type NominationsEvent,
	type PostEvent,
	type PresenceEvent,
	type TypingEvent
} from './protocol';

export type Nominations = Record<number, NominationsEvent['state']>;

/** What the page's load gives; read through getters, so a new load is seen. */
export interface LiveThreadSource {
	readonly thread: { id: number; post_count: number };
	readonly posts: LivePost[];
	readonly nominations: Nominations;
	readonly onLastPage: boolean;
	readonly userId: number | undefined;
}

function upsert(list: LivePost[], post: LivePost): LivePost[] {
	const index = list.findIndex((p) => p.id === post.id);
	if (index >= 0) return list.map((p, i) => (i === index ? post : p));
	return [...list, post].sort((a, b) => a.number - b.number);
}

/** Is the end of the thread on screen? Then a new post below it moves nothing the reader sees. */
function readingTheEnd(): boolean {
	const last = document.querySelector('.posts > article:last-of-type');
	return !last || last.getBoundingClientRect().top < window.innerHeight;
}

export class LiveThread {
	readonly #source: LiveThreadSource;

	/** The page's posts, plus what arrived live. */
	posts: LivePost[];
	nominations: Nominations;
	/** New posts held back while the reader is further up, so nothing moves under their eyes. */
	waiting = $state<LivePost[]>([]);
	/** The thread's post count as last heard, which may be past this page's load. */
	postCount: number;
	/** Posts written after this page (when reading an earlier page). */
	readonly newElsewhere: number;
	tooManyMissed = $state(false);
	announcement = $state('');
	presence = $state<PresenceEvent | null>(null);
	readonly readers = $derived(this.presence ? this.presence.members.length + (this.presence.unnamed ?? 0) + this.presence.guests : 0);
	#typists = $state<{ user: LiveViewer; until: number }[]>([]);
	readonly typingText = $derived.by(() => {
		const people = this.#typists.map((t) => t.user);
		if (people.length === 0) return '';
		if (people.length === 1) return m.live_typing_one({ name: people[0]!.name, organisation: people[0]!.organisation });
		if (people.length === 2) return m.live_typing_two({ first: people[0]!.name, second: people[1]!.name });
		return m.live_typing_many({ count: people.length });
	});
	// Set in `start`, so server rendering never opens a socket.
	#connection = $state<ReturnType<typeof live> | null>(null);
	/** Who is reading is only known while connected: a stale count would not be honest. */
	readonly online = $derived(this.#connection?.state === 'online');

	#pendingAnnouncements: LivePost[] = [];
	#announceTimer: ReturnType<typeof setTimeout> | undefined;
	#lastTypingSent = 0;

	constructor(source: LiveThreadSource) {
		this.#source = source;
		// Live changes override these until a new load (navigation, invalidation) starts again from the server's.
		this.posts = $derived(this.#source.posts);
		this.nominations = $derived(this.#source.nominations);
		this.postCount = $derived(this.#source.thread.post_count);
		this.newElsewhere = $derived(Math.max(0, this.postCount - this.#source.thread.post_count));
	}

	/**
	 * Joins the thread's room and listens until the returned cleanup runs. Call it from an
	 * `$effect`: only the thread id is tracked, so moving to another thread joins that one.
	 */
	start(): () => void {
		const threadId = this.#source.thread.id;
		return untrack(() => this.#listen(threadId));
	}

	/** Shows the held-back posts and moves the reader to the first of them. */
	showWaiting = async () => {
		const first = this.waiting[0];
		this.posts = this.waiting.reduce(upsert, this.posts);
		this.waiting = [];
		await tick();
		const article = first && document.getElementById(`post-${first.number}`);
		article?.focus();
		article?.scrollIntoView({ block: 'start' });
	};

	/** Tells the others in the thread that this reader is writing (throttled). */
	typing = () => {
		const now = Date.now();
		if (now - this.#lastTypingSent < TYPING_THROTTLE_MS) return;
		this.#lastTypingSent = now;
		live().connected?.emit('typing', { threadId: this.#source.thread.id }, () => {});
	};

	#listen(threadId: number): () => void {
		const connection = live();
		this.#connection = connection;
		let since: string | null = null;
		const join = async (socket: LiveSocket) => {
			const all = [...this.posts, ...this.waiting];
			const lastPostId = this.#source.onLastPage ? (all.at(-1)?.id ?? null) : null;
			const reply = await socket
				.timeout(10_000)
				.emitWithAck('thread:join', { threadId, lastPostId, since })
				.catch(() => null);
			if (!reply?.ok) return;
			since = reply.serverTime;
			for (const post of reply.changed) this.#changed(post);
			for (const post of reply.missed) this.#arrived(post);
			this.postCount = Math.max(this.postCount, reply.postCount);
			this.tooManyMissed = reply.more;
		};
		const onPost = (event: PostEvent) => {
			if (event.threadId !== threadId) return;
			const post = event.post;
			if (event.nomination) this.nominations = { ...this.nominations, [post.id]: event.nomination };
			if (event.change === 'created') this.#arrived(post);
			else this.#changed(post);
		};
		const onNominations = (event: NominationsEvent) => {
			if (event.threadId === threadId) this.nominations = { ...this.nominations, [event.postId]: event.state };
		};
		// Locked, pinned or moved: the page's facts (reply form, badges, theme) come from the server.
		const onModerated = (event: { threadId: number }) => {
			if (event.threadId === threadId) void invalidateAll();
		};
		const onPresence = (event: PresenceEvent) => {
			if (event.threadId === threadId) this.presence = event;
		};
		const onTyping = (event: TypingEvent) => {
			if (event.threadId !== threadId || event.user.id === this.#source.userId) return;
			this.#typists = [...this.#typists.filter((t) => t.user.id !== event.user.id), { user: event.user, until: Date.now() + TYPING_EXPIRES_MS }];
		};
		// Typing notices expire on their own: a closed laptop sends no "stopped typing".
		const sweep = setInterval(() => {
			if (this.#typists.some((t) => t.until <= Date.now())) this.#typists = this.#typists.filter((t) => t.until > Date.now());
		}, 1_000);
		const listening = [
			connection.on('post', onPost),
			connection.on('post:nominations', onNominations),
			connection.on('thread:moderated', onModerated),
			connection.on('presence', onPresence),
			connection.on('typing', onTyping)
		];
		const stop = connection.onConnect((socket) => void join(socket));
		return () => {
			stop();
			clearInterval(sweep);
			for (const stopListening of listening) stopListening();
			connection.connected?.emit('thread:leave', { threadId }, () => {});
			// The component outlives the thread when the reader moves to another one: nothing of
			// this thread may surface there (held-back posts, a pending announcement of its posts).
			clearTimeout(this.#announceTimer);
			this.#announceTimer = undefined;
			this.#pendingAnnouncements = [];
			this.waiting = [];
			this.tooManyMissed = false;
			this.presence = null;
			this.#typists = [];
		};
	}

	/** One short, polite announcement per burst of posts, never one per post in a flood. */
	#announce(post: LivePost) {
		this.#pendingAnnouncements.push(post);
		if (this.#announceTimer) return;
		this.#announceTimer = setTimeout(() => {
			const burst = this.#pendingAnnouncements;
			this.#pendingAnnouncements = [];
			this.#announceTimer = undefined;
			this.announcement =
				burst.length === 1
					? m.live_announce_post({ name: burst[0]!.author_name, organisation: burst[0]!.author_organisation })
					: m.live_announce_posts({ count: burst.length });
		}, 1_500);
	}

	#arrived(post: LivePost) {
		if (this.posts.some((p) => p.id === post.id) || this.waiting.some((p) => p.id === post.id)) {
			this.posts = upsert(this.posts, post);
			return;
		}
		this.postCount = Math.max(this.postCount, post.number);
		if (!this.#source.onLastPage) return;
		const mine = post.author_id === this.#source.userId;
		if (!mine) this.#announce(post);
		if (mine || (this.waiting.length === 0 && readingTheEnd())) this.posts = upsert(this.posts, post);
		else this.waiting = upsert(this.waiting, post);
	}

	#changed(post: LivePost) {
		if (this.posts.some((p) => p.id === post.id)) this.posts = upsert(this.posts, post);
		else if (this.waiting.some((p) => p.id === post.id)) this.waiting = upsert(this.waiting, post);
	}
}
