/**
 * The authorisation matrix as one table: every page, form action, endpoint method and Socket.IO
 * client event, with a concrete request from the demo data (or from targets the test creates) and
 * the outcome expected for each of five people. `authorization-matrix.test.ts` checks the table
 * against `src/routes` and `protocol.ts` (a new route without a row fails) and runs every cell
 * against the real server.
 *
 * Rows run one after another in table order, roles in ROLES order (the refused ones first), so a
 * row may act on what an earlier row created (a token, an invitation, an application) and a role
 * that is allowed to change something does so after the others were refused. Targets that a write
 * would use up (a post to delete, a nomination to withdraw) are per role and belong to this test.
 */

export const ROLES = ['guest', 'suspended', 'participant', 'moderator', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export type Member = Exclude<Role, 'guest'>;
export type Curator = 'moderator' | 'admin';

/**
 * `ok` 2xx, or 3xx anywhere but the sign-in page; `signin` a redirect to /sign-in; `invalid` 400 (a
 * signed link that does not verify, whoever sends it); `unauthorized`
 * 401 (the API's answer to a guest's write); `forbidden` 403; `refused` 403 that tells a suspended
 * member why (the suspension message, or the API's `suspension_refused` code); `notFound` 404 (what
 * a guest gets for something members-only: it must not learn that it exists). Socket events answer
 * `ok` or an error code, named the same way.
 */
export type Outcome = 'ok' | 'signin' | 'invalid' | 'unauthorized' | 'forbidden' | 'refused' | 'notFound' | 'notJoined';
export type Expected = Record<Role, Outcome>;

const row5 = (guest: Outcome, suspended: Outcome, participant: Outcome, moderator: Outcome, admin: Outcome): Expected => ({
	guest,
	suspended,
	participant,
	moderator,
	admin
});

/** Readable by anyone. */
const EVERYONE = row5('ok', 'ok', 'ok', 'ok', 'ok');
/** Members-only content: guests get 404, every member (suspended too: they still read) gets it. */
const MEMBERS_READ = row5('notFound', 'ok', 'ok', 'ok', 'ok');
/** For any signed-in member, suspended or not (settings, read positions). */
const MEMBERS = row5('signin', 'ok', 'ok', 'ok', 'ok');
/** Contributions: members in good standing. */
const WRITERS = row5('signin', 'refused', 'ok', 'ok', 'ok');
/** The same through the JSON API, where a guest gets 401 instead of a redirect. */
const API_WRITERS = row5('unauthorized', 'refused', 'ok', 'ok', 'ok');
/** Moderators and admins (curation, moderation, wiki editing, membership). */
const CURATORS = row5('signin', 'refused', 'forbidden', 'ok', 'ok');
/** Admins only (roles, audit log, accessibility reports, organisations). */
const ADMINS = row5('signin', 'refused', 'forbidden', 'forbidden', 'ok');
/** A link whose signature does not verify: refused alike for everyone, signed in or not. */
const FORGED = row5('invalid', 'invalid', 'invalid', 'invalid', 'invalid');
/** An endpoint that exists for nobody. */
const NOBODY = row5('notFound', 'notFound', 'notFound', 'notFound', 'notFound');

export type Form = Record<string, string | string[]>;

export interface HttpCall {
	method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
	path: string;
	/** Sent as a plain form post (application/x-www-form-urlencoded), as a browser without JavaScript does. */
	form?: Form;
	json?: unknown;
}

export interface SocketCall {
	event: string;
	payload: unknown;
	/** Joins this thread first (on the same connection), for events that need a joined thread. */
	joinFirst?: number;
}

/** Thread and post ids the table points at; `path` is the canonical `/t/<id>-<slug>`. */
export interface ThreadRef {
	id: number;
	path: string;
	firstPostId: number;
}

/** What the test's `beforeAll` finds in the demo data and creates for the matrix. */
export interface Fixture {
	/** Unique per run, in every text the matrix writes (titles, e-mails, reasons). */
	run: string;
	publicThread: ThreadRef;
	membersThread: ThreadRef;
	/** Started by the participant for this test; its opening post is the participant's. */
	thread: ThreadRef;
	/** One thread per curator for lock, pin and move, started by that curator. */
	toolThreads: Record<Curator, ThreadRef>;
	/** Another theme to move a thread to. */
	otherThemeId: number;
	theme: string;
	track: string;
	/** Posts in `thread`, by purpose. */
	posts: {
		/** The participant's, edited by everyone allowed to. */
		edit: number;
		/** The suspended member's own, written before the suspension. */
		suspendedOwn: number;
		/** Deleted through the form: the participant's own, and one by each curator for the other. */
		formDelete: Record<'participant' | Curator, number>;
		apiDelete: Record<'participant' | Curator, number>;
		/** Hidden and unhidden by each curator. */
		hide: Record<Curator, number>;
		/** Nominated and reported by the participant in setup: declined and decided by each curator. */
		nominated: Record<Curator, number>;
	};
	/** Reports the participant made in setup, one per curator to resolve. */
	reportReason: Record<Curator, string>;
	/** Demo wiki pages. */
	publicWiki: string;
	membersWiki: string;
	/** Wiki pages the moderator created for this test: a good example to edit and feature, one to rename. */
	wiki: { slug: string; id: number };
	renameWiki: string;
	/** Edit proposals the participant made in setup: accepted and rejected by each curator. */
	proposalSummary: Record<'accept' | 'reject', Record<Curator, string>>;
	/** Valid invitation tokens, one for each role to accept. */
	invitationTokens: Record<Role, string>;
	users: { suspended: number; target: number };
	organisation: string;
	/** An organisation that takes part in no track (setting its participation to none changes nothing). */
	quietOrganisation: string;
	/** A page's load data as this role sees it (SvelteKit's `__data.json`), for ids earlier rows made. */
	data: (path: string, role: Role) => Promise<Record<string, unknown>>;
}

export interface Row {
	/** A route id as SvelteKit prints it (`/t/[ref]`), or `socket` for Socket.IO client events. */
	route: string;
	/** `page`, a form action `?/name` (`?/default` for a page's only one), an HTTP method, or a socket event. */
	name: string;
	/** Which case, when a route has more than one row (public or members-only, …). */
	case?: string;
	expect: Expected;
	http?: (f: Fixture, role: Role) => HttpCall | Promise<HttpCall>;
	socket?: (f: Fixture, role: Role) => SocketCall;
	/** The answer carries a new session for the role (a password change ends the old one). */
	renewsSession?: boolean;
}

const get = (path: string): HttpCall => ({ method: 'GET', path });
const post = (path: string, form: Form = {}): HttpCall => ({ method: 'POST', path, form });
const curator = (role: Role): Curator => (role === 'admin' ? 'admin' : 'moderator');
const BODY = 'Ett inlägg från behörighetsmatrisen, skrivet för att prova vem som får göra vad.';

async function itemId<T extends Record<string, unknown>>(list: unknown, match: (item: T) => boolean, what: string): Promise<number> {
	const found = (list as T[] | undefined)?.find(match);
	if (!found) throw new Error(`The matrix could not find ${what}`);
	return found.id as number;
}

const ownThread = (f: Fixture) => f.thread.path;

/** The newest notification of a member (every member has one after the set-up: replies, a quote, the review queue). */
async function firstNotification(f: Fixture, role: Role): Promise<number> {
	const { list } = (await f.data('/notifications', role)) as { list: { items: { id: number }[] } };
	return itemId(list.items, () => true, `a notification of the ${role}`);
}

export const TABLE: Row[] = [
	// ---- Reading: pages anyone may open ---------------------------------------------------------
	{ route: '/', name: 'page', expect: EVERYONE, http: () => get('/') },
	{ route: '/accessibility', name: 'page', expect: EVERYONE, http: () => get('/accessibility') },
	{ route: '/apply', name: 'page', expect: EVERYONE, http: () => get('/apply') },
	{ route: '/sign-in', name: 'page', expect: EVERYONE, http: () => get('/sign-in') },
	{ route: '/organisations', name: 'page', expect: EVERYONE, http: () => get('/organisations') },
	{ route: '/organisations/[slug]', name: 'page', expect: EVERYONE, http: (f) => get(`/organisations/${f.organisation}`) },
	{ route: '/tracks', name: 'page', expect: EVERYONE, http: () => get('/tracks') },
	{ route: '/tracks/[slug]', name: 'page', expect: EVERYONE, http: (f) => get(`/tracks/${f.track}`) },
	{ route: '/themes/[slug]', name: 'page', expect: EVERYONE, http: (f) => get(`/themes/${f.theme}`) },
	{ route: '/users/[id]', name: 'page', expect: EVERYONE, http: (f) => get(`/users/${f.users.suspended}`) },
	{ route: '/invitation/[token]', name: 'page', case: 'unknown token', expect: EVERYONE, http: () => get('/invitation/no-such-invitation-token') },
	{ route: '/t/[ref]', name: 'page', case: 'public', expect: EVERYONE, http: (f) => get(f.publicThread.path) },
	{ route: '/t/[ref]', name: 'page', case: 'members-only', expect: MEMBERS_READ, http: (f) => get(f.membersThread.path) },
	{ route: '/p/[id]', name: 'page', case: 'public', expect: EVERYONE, http: (f) => get(`/p/${f.publicThread.firstPostId}`) },
	{ route: '/p/[id]', name: 'page', case: 'members-only', expect: MEMBERS_READ, http: (f) => get(`/p/${f.membersThread.firstPostId}`) },
	{ route: '/posts/[id]/history', name: 'page', case: 'public', expect: EVERYONE, http: (f) => get(`/posts/${f.publicThread.firstPostId}/history`) },
	{ route: '/posts/[id]/history', name: 'page', case: 'members-only', expect: MEMBERS_READ, http: (f) => get(`/posts/${f.membersThread.firstPostId}/history`) },
	{ route: '/wiki', name: 'page', expect: EVERYONE, http: () => get('/wiki') },
	{ route: '/wiki/browse', name: 'page', expect: EVERYONE, http: () => get('/wiki/browse') },
	{ route: '/wiki/[slug]', name: 'page', case: 'public', expect: EVERYONE, http: (f) => get(`/wiki/${f.publicWiki}`) },
	{ route: '/wiki/[slug]', name: 'page', case: 'members-only', expect: MEMBERS_READ, http: (f) => get(`/wiki/${f.membersWiki}`) },
	{ route: '/wiki/[slug]/history', name: 'page', case: 'public', expect: EVERYONE, http: (f) => get(`/wiki/${f.publicWiki}/history`) },
	{ route: '/wiki/[slug]/history', name: 'page', case: 'members-only', expect: MEMBERS_READ, http: (f) => get(`/wiki/${f.membersWiki}/history`) },
	{ route: '/wiki/[slug]/diff', name: 'page', expect: EVERYONE, http: (f) => get(`/wiki/${f.wiki.slug}/diff?from=1&to=2`) },
	// Everyone may search; what each role finds is tests/integration/search.test.ts's policy matrix.
	{ route: '/search', name: 'page', expect: EVERYONE, http: () => get('/search?q=larm') },
	// The signed link is the only credential (a session changes nothing); tests/browser/mail.test.ts has a good one.
	{ route: '/unsubscribe', name: 'page', case: 'forged signature', expect: FORGED, http: () => get('/unsubscribe?u=1&l=digest&s=forged') },

	// ---- Pages for members, writers and curators --------------------------------------------------
	{ route: '/settings', name: 'page', expect: MEMBERS, http: () => get('/settings') },
	{ route: '/notifications', name: 'page', expect: MEMBERS, http: () => get('/notifications') },
	{ route: '/following', name: 'page', expect: MEMBERS, http: () => get('/following') },
	// Following a notification's link marks it read and redirects to what it is about.
	{
		route: '/notifications/[id]',
		name: 'GET',
		expect: MEMBERS,
		http: async (f, role) => get(`/notifications/${role === 'guest' ? 1 : await firstNotification(f, role)}`)
	},
	{
		route: '/notifications',
		name: '?/read',
		expect: MEMBERS,
		http: async (f, role) => post('/notifications?/read', { id: String(role === 'guest' ? 1 : await firstNotification(f, role)) })
	},
	{ route: '/notifications', name: '?/readAll', expect: MEMBERS, http: () => post('/notifications?/readAll') },
	{ route: '/following', name: '?/set', expect: MEMBERS, http: (f) => post('/following?/set', { kind: 'thread', id: String(f.publicThread.id), level: 'tracking' }) },
	{
		route: '/settings',
		name: '?/notifications',
		expect: MEMBERS,
		http: () => post('/settings?/notifications', { mention: 'app', autoWatchStarted: 'on', autoTrackReplied: 'on' })
	},
	{ route: '/api/v1/notifications', name: 'GET', expect: row5('unauthorized', 'ok', 'ok', 'ok', 'ok'), http: () => get('/api/v1/notifications') },
	{
		route: '/api/v1/notifications/[id]/read',
		name: 'POST',
		expect: row5('unauthorized', 'ok', 'ok', 'ok', 'ok'),
		http: async (f, role) => ({ method: 'POST', path: `/api/v1/notifications/${role === 'guest' ? 1 : await firstNotification(f, role)}/read` })
	},
	{ route: '/api/v1/notifications/read', name: 'POST', expect: row5('unauthorized', 'ok', 'ok', 'ok', 'ok'), http: () => ({ method: 'POST', path: '/api/v1/notifications/read' }) },
	{ route: '/themes/[slug]/new', name: 'page', expect: WRITERS, http: (f) => get(`/themes/${f.theme}/new`) },
	// The participant's own post: the author edits it, curators edit any, the suspended member is told why not.
	{ route: '/posts/[id]/edit', name: 'page', expect: WRITERS, http: (f) => get(`/posts/${f.posts.edit}/edit`) },
	{ route: '/wiki/[slug]/propose', name: 'page', expect: WRITERS, http: (f) => get(`/wiki/${f.wiki.slug}/propose`) },
	{ route: '/wiki/new', name: 'page', expect: CURATORS, http: () => get('/wiki/new') },
	{ route: '/wiki/[slug]/edit', name: 'page', expect: CURATORS, http: (f) => get(`/wiki/${f.wiki.slug}/edit`) },
	{ route: '/wiki/[slug]/rename', name: 'page', expect: CURATORS, http: (f) => get(`/wiki/${f.renameWiki}/rename`) },
	{ route: '/wiki/[slug]/revert', name: 'page', expect: CURATORS, http: (f) => get(`/wiki/${f.wiki.slug}/revert?to=1`) },
	{ route: '/review', name: 'page', expect: CURATORS, http: () => get('/review') },
	{ route: '/review/promote', name: 'page', expect: CURATORS, http: (f) => get(`/review/promote?posts=${f.publicThread.firstPostId}`) },
	{ route: '/admin', name: 'page', expect: CURATORS, http: () => get('/admin') },
	{ route: '/admin/invitations', name: 'page', expect: CURATORS, http: () => get('/admin/invitations') },
	{ route: '/admin/applications', name: 'page', expect: CURATORS, http: () => get('/admin/applications') },
	{ route: '/admin/users', name: 'page', expect: ADMINS, http: () => get('/admin/users') },
	{ route: '/admin/audit', name: 'page', expect: ADMINS, http: () => get('/admin/audit') },
	{ route: '/admin/accessibility-reports', name: 'page', expect: ADMINS, http: () => get('/admin/accessibility-reports') },

	// ---- Feeds and the JSON API: reading ----------------------------------------------------------
	{ route: '/feed.xml', name: 'GET', expect: EVERYONE, http: () => get('/feed.xml') },
	{ route: '/tracks/[slug]/feed.xml', name: 'GET', expect: EVERYONE, http: (f) => get(`/tracks/${f.track}/feed.xml`) },
	{ route: '/themes/[slug]/feed.xml', name: 'GET', expect: EVERYONE, http: (f) => get(`/themes/${f.theme}/feed.xml`) },
	{ route: '/t/[ref]/feed.xml', name: 'GET', case: 'public', expect: EVERYONE, http: (f) => get(`${f.publicThread.path}/feed.xml`) },
	// Feeds are for the public: a members-only thread has none, whoever asks.
	{ route: '/t/[ref]/feed.xml', name: 'GET', case: 'members-only', expect: NOBODY, http: (f) => get(`${f.membersThread.path}/feed.xml`) },
	{ route: '/api/v1/openapi.json', name: 'GET', expect: EVERYONE, http: () => get('/api/v1/openapi.json') },
	{ route: '/api/v1/tracks', name: 'GET', expect: EVERYONE, http: () => get('/api/v1/tracks') },
	{ route: '/api/v1/themes', name: 'GET', expect: EVERYONE, http: () => get('/api/v1/themes') },
	{ route: '/api/v1/threads', name: 'GET', expect: EVERYONE, http: () => get('/api/v1/threads') },
	{ route: '/api/v1/threads/[id]', name: 'GET', case: 'public', expect: EVERYONE, http: (f) => get(`/api/v1/threads/${f.publicThread.id}`) },
	{ route: '/api/v1/threads/[id]', name: 'GET', case: 'members-only', expect: MEMBERS_READ, http: (f) => get(`/api/v1/threads/${f.membersThread.id}`) },
	{ route: '/api/v1/threads/[id]/posts', name: 'GET', case: 'public', expect: EVERYONE, http: (f) => get(`/api/v1/threads/${f.publicThread.id}/posts`) },
	{ route: '/api/v1/threads/[id]/posts', name: 'GET', case: 'members-only', expect: MEMBERS_READ, http: (f) => get(`/api/v1/threads/${f.membersThread.id}/posts`) },
	{ route: '/api/v1/posts/[id]', name: 'GET', case: 'public', expect: EVERYONE, http: (f) => get(`/api/v1/posts/${f.publicThread.firstPostId}`) },
	{ route: '/api/v1/posts/[id]', name: 'GET', case: 'members-only', expect: MEMBERS_READ, http: (f) => get(`/api/v1/posts/${f.membersThread.firstPostId}`) },
	{ route: '/api/v1/search', name: 'GET', expect: EVERYONE, http: () => get('/api/v1/search?q=larm') },
	{ route: '/api/v1/users/suggest', name: 'GET', expect: row5('unauthorized', 'ok', 'ok', 'ok', 'ok'), http: () => get('/api/v1/users/suggest?q=an') },
	{ route: '/api/v1/[...rest]', name: 'fallback', expect: NOBODY, http: () => ({ method: 'POST', path: '/api/v1/no-such-endpoint', json: {} }) },

	// ---- JSON API: writing (cookie sessions, same origin) -----------------------------------------
	{
		route: '/api/v1/threads',
		name: 'POST',
		expect: API_WRITERS,
		http: (f, role) => ({ method: 'POST', path: '/api/v1/threads', json: { theme: f.theme, title: `Matris ${f.run}: API-tråd av ${role}`, body: BODY } })
	},
	{ route: '/api/v1/threads/[id]/posts', name: 'POST', expect: API_WRITERS, http: (f) => ({ method: 'POST', path: `/api/v1/threads/${f.thread.id}/posts`, json: { body: BODY } }) },
	{
		route: '/api/v1/posts/[id]',
		name: 'PATCH',
		case: "the participant's post",
		expect: API_WRITERS,
		http: (f, role) => ({ method: 'PATCH', path: `/api/v1/posts/${f.posts.edit}`, json: { body: `${BODY} Ändrat via API av ${role}.` } })
	},
	// Suspended members do not write: not even by editing a post of their own into something else.
	{
		route: '/api/v1/posts/[id]',
		name: 'PATCH',
		case: "the suspended member's own post",
		expect: row5('unauthorized', 'refused', 'forbidden', 'ok', 'ok'),
		http: (f, role) => ({ method: 'PATCH', path: `/api/v1/posts/${f.posts.suspendedOwn}`, json: { body: `${BODY} Ändrat via API av ${role}.` } })
	},
	{
		route: '/api/v1/posts/[id]',
		name: 'DELETE',
		case: 'own post (participant), any post (curators)',
		expect: API_WRITERS,
		http: (f, role) => ({ method: 'DELETE', path: `/api/v1/posts/${role === 'moderator' || role === 'admin' ? f.posts.apiDelete[role] : f.posts.apiDelete.participant}` })
	},
	// Reactions go to others' posts: the participant's own opening post is refused to its author.
	{
		route: '/api/v1/posts/[id]/reactions/[kind]',
		name: 'PUT',
		case: "the participant's post",
		expect: row5('unauthorized', 'refused', 'forbidden', 'ok', 'ok'),
		http: (f) => ({ method: 'PUT', path: `/api/v1/posts/${f.thread.firstPostId}/reactions/thanks` })
	},
	{
		route: '/api/v1/posts/[id]/reactions/[kind]',
		name: 'DELETE',
		case: "the participant's post",
		expect: row5('unauthorized', 'refused', 'forbidden', 'ok', 'ok'),
		http: (f) => ({ method: 'DELETE', path: `/api/v1/posts/${f.thread.firstPostId}/reactions/thanks` })
	},

	// ---- Form actions: the thread page --------------------------------------------------------------
	{ route: '/t/[ref]', name: '?/reply', expect: WRITERS, http: (f, role) => post(`${ownThread(f)}?/reply`, { body: `${BODY} Svar av ${role}.` }) },
	// A preview renders Markdown on the thread page, which anyone may read.
	{ route: '/t/[ref]', name: '?/preview', expect: EVERYONE, http: (f) => post(`${ownThread(f)}?/preview`, { body: BODY }) },
	{ route: '/t/[ref]', name: '?/read', expect: MEMBERS, http: (f) => post(`${f.publicThread.path}?/read`, { upTo: '1' }) },
	{
		route: '/t/[ref]',
		name: '?/delete',
		case: 'own post (participant), any post (curators)',
		expect: WRITERS,
		http: (f, role) => post(`${ownThread(f)}?/delete`, { postId: String(role === 'moderator' || role === 'admin' ? f.posts.formDelete[role] : f.posts.formDelete.participant) })
	},
	{
		route: '/t/[ref]',
		name: '?/react',
		case: "the participant's post",
		expect: row5('signin', 'refused', 'forbidden', 'ok', 'ok'),
		http: (f) => post(`${ownThread(f)}?/react`, { postId: String(f.thread.firstPostId), kind: 'like' })
	},
	{
		route: '/t/[ref]',
		name: '?/nominate',
		case: "the participant's post",
		expect: row5('signin', 'refused', 'forbidden', 'ok', 'ok'),
		http: (f, role) =>
			post(`${ownThread(f)}?/nominate`, { postId: String(f.thread.firstPostId), reason: `Matris ${f.run}: ett bra exempel (${role}).`, classification: 'lesson' })
	},
	// Only the nominator withdraws: someone else's nomination does not exist for them (404).
	{
		route: '/t/[ref]',
		name: '?/withdrawNomination',
		case: "each curator's own nomination (others try the moderator's)",
		expect: row5('notFound', 'notFound', 'notFound', 'ok', 'ok'),
		http: async (f, role) => {
			const data = await f.data(ownThread(f), curator(role));
			const states = data.nominations as Record<string, { mine?: { id: number } | null }>;
			const mine = states[String(f.thread.firstPostId)]?.mine;
			if (!mine) throw new Error(`The matrix found no nomination by the ${curator(role)}`);
			return post(`${ownThread(f)}?/withdrawNomination`, { postId: String(f.thread.firstPostId), nominationId: String(mine.id) });
		}
	},
	{
		route: '/t/[ref]',
		name: '?/report',
		case: "the participant's post",
		expect: row5('signin', 'refused', 'forbidden', 'ok', 'ok'),
		http: (f, role) => post(`${ownThread(f)}?/report`, { postId: String(f.thread.firstPostId), reason: `Matris ${f.run}: anmälan av ${role}.` })
	},
	{
		route: '/t/[ref]',
		name: '?/hide',
		expect: CURATORS,
		http: (f, role) => post(`${ownThread(f)}?/hide`, { postId: String(f.posts.hide[curator(role)]), reason: 'Matris' })
	},
	{ route: '/t/[ref]', name: '?/unhide', expect: CURATORS, http: (f, role) => post(`${ownThread(f)}?/unhide`, { postId: String(f.posts.hide[curator(role)]) }) },
	{ route: '/t/[ref]', name: '?/lock', expect: CURATORS, http: (f, role) => post(`${f.toolThreads[curator(role)].path}?/lock`) },
	{ route: '/t/[ref]', name: '?/unlock', expect: CURATORS, http: (f, role) => post(`${f.toolThreads[curator(role)].path}?/unlock`) },
	{ route: '/t/[ref]', name: '?/pin', expect: CURATORS, http: (f, role) => post(`${f.toolThreads[curator(role)].path}?/pin`) },
	{ route: '/t/[ref]', name: '?/unpin', expect: CURATORS, http: (f, role) => post(`${f.toolThreads[curator(role)].path}?/unpin`) },
	{ route: '/t/[ref]', name: '?/move', expect: CURATORS, http: (f, role) => post(`${f.toolThreads[curator(role)].path}?/move`, { themeId: String(f.otherThemeId) }) },

	// ---- Form actions: starting threads, editing posts ----------------------------------------------
	{ route: '/themes/[slug]', name: '?/markRead', expect: MEMBERS, http: (f) => post(`/themes/${f.theme}?/markRead`) },
	{
		route: '/themes/[slug]/new',
		name: '?/start',
		expect: WRITERS,
		http: (f, role) => post(`/themes/${f.theme}/new?/start`, { title: `Matris ${f.run}: tråd av ${role}`, body: BODY, visibility: 'public' })
	},
	{ route: '/themes/[slug]/new', name: '?/preview', expect: WRITERS, http: (f) => post(`/themes/${f.theme}/new?/preview`, { body: BODY }) },
	{ route: '/posts/[id]/edit', name: '?/save', case: "the participant's post", expect: WRITERS, http: (f, role) => post(`/posts/${f.posts.edit}/edit?/save`, { body: `${BODY} Ändrat av ${role}.` }) },
	{
		route: '/posts/[id]/edit',
		name: '?/save',
		case: "the suspended member's own post",
		expect: row5('signin', 'refused', 'forbidden', 'ok', 'ok'),
		http: (f, role) => post(`/posts/${f.posts.suspendedOwn}/edit?/save`, { body: `${BODY} Ändrat av ${role}.` })
	},
	{ route: '/posts/[id]/edit', name: '?/preview', expect: WRITERS, http: (f) => post(`/posts/${f.posts.edit}/edit?/preview`, { body: BODY }) },

	// ---- Form actions: the wiki ------------------------------------------------------------------------
	{
		route: '/wiki/new',
		name: '?/create',
		expect: CURATORS,
		http: async (f, role) => post('/wiki/new?/create', await wikiForm(f, { title: `Matris ${f.run} sida av ${role}`, visibility: 'members' }))
	},
	{ route: '/wiki/new', name: '?/preview', expect: CURATORS, http: () => post('/wiki/new?/preview', { body: BODY }) },
	{
		route: '/wiki/[slug]/edit',
		name: '?/save',
		expect: CURATORS,
		http: async (f, role) => {
			const data = await f.data(`/wiki/${f.wiki.slug}/edit`, 'moderator');
			const initial = data.initial as Record<string, string>;
			return post(`/wiki/${f.wiki.slug}/edit?/save`, { ...initial, body: `${initial.body}\n\nTillägg av ${role}.`, changeSummary: `Matris ${role}` });
		}
	},
	{ route: '/wiki/[slug]/edit', name: '?/preview', expect: CURATORS, http: (f) => post(`/wiki/${f.wiki.slug}/edit?/preview`, { body: BODY }) },
	{
		route: '/wiki/[slug]/propose',
		name: '?/propose',
		expect: WRITERS,
		http: (f, role) => post(`/wiki/${f.wiki.slug}/propose?/propose`, { body: `${BODY} Förslag av ${role}.`, changeSummary: `Matris ${f.run}: förslag av ${role}` })
	},
	{ route: '/wiki/[slug]/propose', name: '?/preview', expect: WRITERS, http: (f) => post(`/wiki/${f.wiki.slug}/propose?/preview`, { body: BODY }) },
	{ route: '/wiki/[slug]', name: '?/feature', expect: CURATORS, http: (f) => post(`/wiki/${f.wiki.slug}?/feature`) },
	{ route: '/wiki/[slug]', name: '?/unfeature', expect: CURATORS, http: (f) => post(`/wiki/${f.wiki.slug}?/unfeature`) },
	{ route: '/wiki/[slug]/revert', name: '?/default', expect: CURATORS, http: (f) => post(`/wiki/${f.wiki.slug}/revert?to=1`, { changeSummary: 'Matris' }) },
	// The old address keeps working after the moderator's rename, so the admin renames through it too.
	{ route: '/wiki/[slug]/rename', name: '?/default', expect: CURATORS, http: (f, role) => post(`/wiki/${f.renameWiki}/rename`, { title: `Matris ${f.run} omdöpt av ${role}` }) },

	// ---- Form actions: the curation queue ----------------------------------------------------------------
	{
		route: '/review',
		name: '?/decline',
		expect: CURATORS,
		http: (f, role) => post('/review?/decline', { postId: String(f.posts.nominated[curator(role)]), reason: 'Matris: hör inte hemma i wikin.' })
	},
	{
		route: '/review',
		name: '?/resolveReport',
		expect: CURATORS,
		http: async (f, role) => post('/review?/resolveReport', { reportId: String(await reportId(f, f.reportReason[curator(role)])), note: 'Matris' })
	},
	{
		route: '/review',
		name: '?/dismissReport',
		case: 'the reports the report row made',
		expect: CURATORS,
		http: async (f, role) => post('/review?/dismissReport', { reportId: String(await reportId(f, `Matris ${f.run}: anmälan av ${curator(role)}.`)), note: 'Matris' })
	},
	{
		route: '/review',
		name: '?/acceptProposal',
		expect: CURATORS,
		http: async (f, role) => post('/review?/acceptProposal', { proposalId: String(await proposalId(f, f.proposalSummary.accept[curator(role)])) })
	},
	{
		route: '/review',
		name: '?/rejectProposal',
		expect: CURATORS,
		http: async (f, role) =>
			post('/review?/rejectProposal', { proposalId: String(await proposalId(f, f.proposalSummary.reject[curator(role)])), reason: 'Matris: inte nu.' })
	},
	{
		route: '/review/promote',
		name: '?/create',
		expect: CURATORS,
		http: async (f, role) =>
			post(`/review/promote?posts=${f.posts.nominated.moderator}&/create`, await wikiForm(f, { title: `Matris ${f.run} lyft av ${role}`, visibility: 'members' }))
	},
	{
		route: '/review/promote',
		name: '?/add',
		expect: CURATORS,
		http: (f) => post(`/review/promote?posts=${f.posts.nominated.admin}&/add`, { pageId: String(f.wiki.id), changeSummary: 'Matris' })
	},
	{ route: '/review/promote', name: '?/preview', expect: CURATORS, http: (f) => post(`/review/promote?posts=${f.posts.nominated.admin}&/preview`, { body: BODY }) },

	// ---- Form actions: accounts and membership -----------------------------------------------------------
	// Any guest applies; signed-in people may too (the answer never tells whether an address is known).
	{
		route: '/apply',
		name: '?/default',
		expect: EVERYONE,
		http: async (f, role) =>
			post('/apply', {
				name: `Matris ${role}`,
				email: applicantEmail(f, role),
				title: 'Utvecklare',
				organisationId: String(await organisationId(f)),
				reason: 'Vi vill delta i programmet och dela erfarenheter.'
			})
	},
	// The token is the credential: whoever holds a valid one may accept it.
	{
		route: '/invitation/[token]',
		name: '?/default',
		case: 'a valid token each',
		expect: EVERYONE,
		http: (f, role) =>
			post(`/invitation/${f.invitationTokens[role]}`, { name: `Matris Inbjuden ${role}`, title: 'Handläggare', password: 'matris-lösenord-1', confirm: 'matris-lösenord-1' })
	},
	{
		route: '/sign-in',
		name: '?/default',
		case: "the role's own account (the guest signs in as the participant)",
		expect: EVERYONE,
		http: (_f, role) => post('/sign-in', { email: emailOf(role === 'guest' ? 'participant' : role), password: 'kommuntorget-demo', redirectTo: '/' })
	},
	{
		route: '/accessibility',
		name: '?/default',
		expect: EVERYONE,
		http: (f, role) =>
			post('/accessibility', { pageUrl: '/', description: `Matris ${f.run}: ett hinder hittat av ${role}.`, contactName: '', contactEmail: '' })
	},
	{
		route: '/settings',
		name: '?/profile',
		case: 'own profile, unchanged',
		expect: MEMBERS,
		http: async (f, role) => {
			if (role === 'guest') return post('/settings?/profile', { name: 'Gäst', title: '', locale: '' });
			const { account } = (await f.data('/settings', role)) as { account: { name: string; title: string; locale: string | null } };
			return post('/settings?/profile', { name: account.name, title: account.title, locale: account.locale ?? '' });
		}
	},
	{ route: '/settings', name: '?/mail', expect: MEMBERS, http: () => post('/settings?/mail', { digest: 'weekly' }) },
	{ route: '/unsubscribe', name: '?/default', case: 'forged signature', expect: FORGED, http: () => post('/unsubscribe?u=1&l=notifications&s=forged') },
	{ route: '/settings', name: '?/createToken', expect: MEMBERS, http: (f) => post('/settings?/createToken', { name: `Matris ${f.run}` }) },
	{
		route: '/settings',
		name: '?/revokeToken',
		case: 'the token the row above created',
		expect: MEMBERS,
		http: async (f, role) => {
			if (role === 'guest') return post('/settings?/revokeToken', { id: '1' });
			const { tokens } = await f.data('/settings', role);
			return post('/settings?/revokeToken', { id: String(await itemId(tokens, (t) => t.name === `Matris ${f.run}`, `${role}'s token`)) });
		}
	},
	// The same password again: it ends the role's other sessions, so the answer's session replaces the old one.
	{
		route: '/settings',
		name: '?/password',
		expect: MEMBERS,
		renewsSession: true,
		http: () => post('/settings?/password', { current: 'kommuntorget-demo', password: 'kommuntorget-demo', confirm: 'kommuntorget-demo' })
	},
	{ route: '/organisations/[slug]', name: '?/participation', case: 'no tracks for a quiet organisation', expect: ADMINS, http: (f) => post(`/organisations/${f.quietOrganisation}?/participation`) },

	// ---- Form actions: moderation and administration ------------------------------------------------------
	// Moderators suspend participants; the target is a demo participant the matrix uses for nothing else.
	{ route: '/users/[id]', name: '?/suspend', expect: CURATORS, http: (f) => post(`/users/${f.users.target}?/suspend`, { period: 'day', reason: 'Matris: prov av avstängning.' }) },
	// The suspended member cannot lift their own suspension.
	{
		route: '/users/[id]',
		name: '?/unsuspend',
		case: 'the target above (the suspended member tries their own)',
		expect: CURATORS,
		http: (f, role) => post(`/users/${role === 'suspended' ? f.users.suspended : f.users.target}?/unsuspend`)
	},
	{
		route: '/admin/invitations',
		name: '?/create',
		expect: CURATORS,
		http: async (f, role) =>
			post('/admin/invitations?/create', { email: invitedEmail(f, curator(role)), organisationId: String(await organisationId(f)), role: 'participant' })
	},
	{
		route: '/admin/invitations',
		name: '?/revoke',
		case: "each curator's invitation from the row above",
		expect: CURATORS,
		http: async (f, role) => {
			const { invitations } = await f.data('/admin/invitations', 'admin');
			return post('/admin/invitations?/revoke', { id: String(await itemId(invitations, (i) => i.email === invitedEmail(f, curator(role)), 'an invitation')) });
		}
	},
	{
		route: '/admin/applications',
		name: '?/approve',
		case: "the guest's and the participant's applications",
		expect: CURATORS,
		http: async (f, role) => post('/admin/applications?/approve', { id: String(await applicationId(f, role === 'admin' ? 'participant' : role === 'moderator' ? 'guest' : 'suspended')) })
	},
	{
		route: '/admin/applications',
		name: '?/decline',
		case: "the curators' own applications",
		expect: CURATORS,
		http: async (f, role) => post('/admin/applications?/decline', { id: String(await applicationId(f, role === 'admin' || role === 'moderator' ? role : 'suspended')), note: 'Matris' })
	},
	// The same role again: the matrix changes who may do it, not what the target becomes.
	{ route: '/admin/users', name: '?/role', case: 'a participant kept a participant', expect: ADMINS, http: (f) => post('/admin/users?/role', { id: String(f.users.target), role: 'participant' }) },
	{
		route: '/admin/accessibility-reports',
		name: '?/handled',
		case: "the guest's report from the row above",
		expect: ADMINS,
		http: async (f) => {
			const { reports } = await f.data('/admin/accessibility-reports', 'admin');
			const id = await itemId(reports, (r) => r.description === `Matris ${f.run}: ett hinder hittat av guest.`, 'an accessibility report');
			return post('/admin/accessibility-reports?/handled', { id: String(id) });
		}
	},
	{ route: '/language', name: 'POST', expect: EVERYONE, http: () => post('/language', { locale: 'sv', redirectTo: '/' }) },
	// Last: it ends the role's session (a guest is simply sent home).
	{ route: '/sign-out', name: 'POST', expect: EVERYONE, http: () => post('/sign-out') },

	// ---- Socket.IO client events ------------------------------------------------------------------------
	{ route: 'socket', name: 'thread:join', case: 'public', expect: EVERYONE, socket: (f) => ({ event: 'thread:join', payload: { threadId: f.thread.id } }) },
	{ route: 'socket', name: 'thread:join', case: 'members-only', expect: MEMBERS_READ, socket: (f) => ({ event: 'thread:join', payload: { threadId: f.membersThread.id } }) },
	{ route: 'socket', name: 'thread:leave', expect: EVERYONE, socket: (f) => ({ event: 'thread:leave', payload: { threadId: f.thread.id } }) },
	{ route: 'socket', name: 'watch', expect: EVERYONE, socket: () => ({ event: 'watch', payload: { scope: 'forum' } }) },
	{ route: 'socket', name: 'unwatch', expect: EVERYONE, socket: () => ({ event: 'unwatch', payload: { scope: 'forum' } }) },
	// Typing announces a reply: only someone who may reply sends it.
	{
		route: 'socket',
		name: 'typing',
		case: 'in a joined public thread',
		expect: row5('forbidden', 'forbidden', 'ok', 'ok', 'ok'),
		socket: (f) => ({ event: 'typing', payload: { threadId: f.thread.id }, joinFirst: f.thread.id })
	},
	{
		route: 'socket',
		name: 'typing',
		case: 'in a thread not joined',
		expect: row5('notJoined', 'notJoined', 'notJoined', 'notJoined', 'notJoined'),
		socket: (f) => ({ event: 'typing', payload: { threadId: f.publicThread.id } })
	}
];

export const emailOf = (role: Member) =>
	({
		participant: 'deltagare@kommuntorget.example',
		moderator: 'moderator@kommuntorget.example',
		admin: 'admin@kommuntorget.example',
		suspended: SUSPENDED_EMAIL
	})[role];

/** A demo participant no other test signs in as. */
export const SUSPENDED_EMAIL = 'leila.rahimi@kommuntorget.example';
export const SUSPENDED_NAME = 'Leila Rahimi';
/** Suspended and lifted by the matrix's own rows. */
export const TARGET_NAME = 'Sara Holm';

const applicantEmail = (f: Fixture, role: Role) => `matris.${f.run}.ansokan.${role}@kommun.example`;
const invitedEmail = (f: Fixture, role: Curator) => `matris.${f.run}.inbjuden.${role}@kommun.example`;

async function organisationId(f: Fixture): Promise<number> {
	const { organisation } = (await f.data(`/organisations/${f.organisation}`, 'guest')) as { organisation: { id: number } };
	return organisation.id;
}

async function applicationId(f: Fixture, applicant: Role): Promise<number> {
	const { pending } = await f.data('/admin/applications', 'admin');
	return itemId(pending, (a) => a.email === applicantEmail(f, applicant), `the application of ${applicant}`);
}

async function reportId(f: Fixture, reason: string): Promise<number> {
	const { queue } = (await f.data('/review', 'moderator')) as { queue: { reports: unknown } };
	return itemId(queue.reports, (r) => r.reason === reason, `the report "${reason}"`);
}

async function proposalId(f: Fixture, summary: string): Promise<number> {
	const { queue } = (await f.data('/review', 'moderator')) as { queue: { proposals: unknown } };
	return itemId(queue.proposals, (p) => p.change_summary === summary, `the proposal "${summary}"`);
}

/** The wiki editor's fields for a new page in the test's theme (a good example, so it can be featured). */
export async function wikiForm(f: Fixture, { title, visibility }: { title: string; visibility: 'public' | 'members' }): Promise<Form> {
	const { choices } = (await f.data('/wiki/new', 'moderator')) as { choices: { tracks: { id: number; themes: { id: number }[] }[] } };
	const track = choices.tracks[0]!;
	return {
		title,
		body: `${BODY}\n\nEn wikisida för behörighetsmatrisen.`,
		summary: 'Matris',
		trackId: String(track.id),
		themeId: String(track.themes[0]!.id),
		classification: 'good_example',
		visibility,
		problem: 'Matris',
		whatWasDone: 'Matris',
		result: 'Matris'
	};
}
