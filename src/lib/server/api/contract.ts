/**
 * The /api/v1 contract as zod schemas: request bodies, query and path parameters, and every
 * response shape. The serialisers are typed by these schemas, the handlers parse their queries
 * through them, and `/api/v1/openapi.json` is generated from them (openapi.ts), so the limits and
 * enumerations exist once — in `$lib/input-rules` and the write paths' own fields — and the
 * document cannot say something the code does not do.
 */
import { z } from 'zod';
import { isSlugParam, MAX_ID, MAX_PAGE, REACTION_KINDS, VISIBILITIES } from '../../input-rules';
import { NOTIFICATION_KINDS } from '../../notification-kinds';
import { bodyField, titleField } from '../forum/posting';
import { RequestProblem } from './http';
import { CLASSIFICATION_SLUGS } from '../../components/wiki/classification';
import { SEARCH_KINDS, SEARCH_LIMIT, SEARCH_QUERY_MAX, SEARCH_SORTS } from '../search/input';

/** The schemas that become `components.schemas`, each under its `id`. */
export const apiSchemas = z.registry<{ id: string }>();
const component = <T extends z.ZodType>(id: string, schema: T): T => {
	apiSchemas.add(schema, { id });
	return schema;
};

/** The ranges of `limit` on the list endpoints. */
export const THREAD_LIMIT = { min: 1, max: 100, default: 25 } as const;
export const POST_LIMIT = { min: 1, max: 200, default: 50 } as const;

const id = z.int().min(1).max(MAX_ID);
const dateTime = z.iso.datetime();
const visibility = z.enum(VISIBILITIES);

// ---- Path parameters -------------------------------------------------------------------------

/** A path id as the `id` param matcher reads it (`parseId`): the same 1..2^31-1. */
export const IdParam = z.coerce.number().int().min(1).max(MAX_ID);
export const ReactionKindParam = z.enum(REACTION_KINDS);

// ---- Query parameters ------------------------------------------------------------------------

const limitField = (range: { min: number; max: number; default: number }) => {
	const error = `limit must be an integer from ${range.min} to ${range.max}.`;
	return z.coerce.number({ error }).int({ error }).min(range.min, { error }).max(range.max, { error }).default(range.default);
};

// An empty `?theme=` or `?cursor=` has always meant "not given", as `searchParams.get` reads it.
const optionalSlug = (description: string) =>
	z
		.string()
		.refine((value) => value === '' || isSlugParam(value), { error: 'theme and track are slugs.' })
		.transform((value) => value || undefined)
		.optional()
		.describe(description);
const optionalCursor = (description: string) =>
	z
		.string()
		.transform((value) => value || undefined)
		.optional()
		.describe(description);

export const ThreadListQuery = z.object({
	theme: optionalSlug('Theme slug.'),
	track: optionalSlug('Track slug.'),
	limit: limitField(THREAD_LIMIT),
	cursor: optionalCursor('`nextCursor` of the previous page.')
});

export const NotificationListQuery = z.object({
	page: z.coerce.number({ error: 'page must be an integer from 1.' }).int({ error: 'page must be an integer from 1.' }).min(1, { error: 'page must be an integer from 1.' }).max(100_000, { error: 'page must be an integer from 1.' }).default(1)
});

/** How long a mention lookup may be: a handle is at most 40 characters, a name not much more. */
export const SUGGEST_QUERY_MAX = 60;
export const SUGGEST_LIMIT = 8;

export const MemberSuggestQuery = z.object({
	q: z
		.string({ error: 'q is required.' })
		.trim()
		.min(1, { error: 'q must not be empty.' })
		.max(SUGGEST_QUERY_MAX, { error: `q is at most ${SUGGEST_QUERY_MAX} characters.` })
		.describe('The start of a name (first or last) or a handle, without the `@`.')
});

export const PostListQuery = z.object({
	limit: limitField(POST_LIMIT),
	cursor: optionalCursor('`nextCursor` of the previous page.')
});

const classificationSlug = z.enum(Object.values(CLASSIFICATION_SLUGS) as [string, ...string[]]);
const day = z.iso.date();

/**
 * /search's parameters, for the document: the endpoint parses them with the page's own parser
 * (search/input.ts, built on the same constants), whose messages are per field and translated.
 */
export const SearchQuery = z.object({
	q: z.string().max(SEARCH_QUERY_MAX).optional().describe('Words (Swedish stemming), "a phrase" in quotes, -word to exclude, `or` between alternatives; the last word also matches as a prefix. Empty: no results.'),
	kind: z.enum(SEARCH_KINDS).optional().describe('Only thread titles, posts or wiki pages.'),
	track: z.string().optional().describe('Track slug.'),
	theme: z.string().optional().describe('Theme slug.'),
	organisation: z.string().optional().describe("Organisation slug: the author's organisation (wiki pages: the organisations the page is about)."),
	author: z.coerce.number().int().min(1).max(MAX_ID).optional().describe('User id of the author (wiki pages: who created the page).'),
	classification: classificationSlug.optional().describe('Wiki classification; only wiki pages match.'),
	from: day.optional().describe('First day (YYYY-MM-DD, Swedish time), included.'),
	to: day.optional().describe('Last day (YYYY-MM-DD, Swedish time), included.'),
	sort: z.enum(SEARCH_SORTS).default('relevance').describe('By relevance (newer first among equals) or by date.'),
	page: z.coerce.number().int().min(1).max(MAX_PAGE).default(1),
	limit: z.coerce.number().int().min(SEARCH_LIMIT.min).max(SEARCH_LIMIT.max).default(SEARCH_LIMIT.default)
});

/**
 * A query string through its schema: the first value of each documented parameter, as
 * `searchParams.get` gives it; anything it refuses is a 400 saying why.
 */
export function parseQuery<T extends z.ZodObject>(schema: T, url: URL): z.output<T> {
	const raw: Record<string, string> = {};
	for (const key of Object.keys(schema.shape)) {
		const value = url.searchParams.get(key);
		if (value !== null) raw[key] = value;
	}
	const result = schema.safeParse(raw);
	if (!result.success) throw new RequestProblem(400, result.error.issues[0]!.message);
	return result.data;
}

// ---- Request bodies --------------------------------------------------------------------------

export const NewThread = component(
	'NewThread',
	z.object({
		theme: z.string().describe('Theme slug.'),
		title: titleField,
		body: bodyField.describe('Markdown.'),
		visibility: visibility.optional().describe("Defaults to the theme's default.")
	})
);

export const NewPost = component(
	'NewPost',
	z.object({
		body: bodyField,
		replyTo: id.optional().describe('Id of the post this answers (and quotes). A hidden or deleted post cannot be answered: 409.')
	})
);

export const PostEdit = component(
	'PostEdit',
	z.object({
		body: bodyField,
		title: titleField.optional().describe('New thread title; only for the opening post (number 1), ignored otherwise.')
	})
);

// ---- Responses -------------------------------------------------------------------------------

export const Problem = component(
	'Problem',
	z.object({
		type: z.string(),
		title: z.string(),
		status: z.int(),
		detail: z.string().optional(),
		code: z.string().optional().describe('Stable machine-readable code of the problem.'),
		errors: z.record(z.string(), z.string()).optional().describe('Message per invalid field.'),
		fieldCodes: z.record(z.string(), z.string()).optional()
	})
);

export const Track = component(
	'Track',
	z.strictObject({ slug: z.string(), name: z.string(), nameEn: z.string(), description: z.string(), themes: z.array(z.string()) })
);

export const Theme = component(
	'Theme',
	z.strictObject({
		slug: z.string(),
		name: z.string(),
		nameEn: z.string(),
		description: z.string(),
		defaultVisibility: visibility,
		tracks: z.array(z.string()),
		threadCount: z.int().min(0),
		lastPostedAt: dateTime.nullable()
	})
);

const threadFields = {
	id,
	title: z.string(),
	url: z.url(),
	visibility,
	pinned: z.boolean(),
	locked: z.boolean(),
	theme: z.string(),
	postCount: z.int().min(1),
	createdAt: dateTime,
	lastPostedAt: dateTime
};

export const Thread = component('Thread', z.strictObject(threadFields));

export const ThreadSummary = component(
	'ThreadSummary',
	z.strictObject({ ...threadFields, starter: z.strictObject({ id, name: z.string(), organisation: z.string() }) })
);

export const ReactionState = component('ReactionState', z.strictObject({ kind: ReactionKindParam, active: z.boolean() }));

export const ReactionCount = component('ReactionCount', z.strictObject({ count: z.int().min(0), mine: z.boolean() }));

export const Post = component(
	'Post',
	z.strictObject({
		id,
		threadId: id,
		number: z.int().min(1).describe('Position in the thread; 1 is the opening post.'),
		url: z.url(),
		author: z.strictObject({ id, name: z.string(), title: z.string(), organisation: z.string() }),
		deleted: z.boolean(),
		hidden: z.boolean().describe('Hidden by a moderator. Its author and moderators still get its text; everyone else gets its place with source and html null.'),
		source: z.string().nullable().describe('Markdown; null when deleted or hidden from the reader.'),
		html: z.string().nullable().describe('Sanitised HTML rendered on the server; null when deleted or hidden from the reader.'),
		createdAt: dateTime,
		editedAt: dateTime.nullable(),
		replyTo: id.nullable(),
		reactions: z.strictObject(Object.fromEntries(REACTION_KINDS.map((kind) => [kind, ReactionCount])) as Record<(typeof REACTION_KINDS)[number], typeof ReactionCount>)
	})
);

export const Notification = component(
	'Notification',
	z.strictObject({
		id,
		kind: z.enum(NOTIFICATION_KINDS),
		read: z.boolean(),
		at: dateTime.describe('When it happened (for a grouped one: its latest event).'),
		actorName: z.string().nullable().describe('Who caused it; for grouped reactions the latest.'),
		others: z.int().min(0).describe('Grouped reactions: how many others besides actorName.'),
		count: z.int().min(1).describe('Grouped review-queue items: how many arrived while unread.'),
		threadTitle: z.string().nullable(),
		postId: id.nullable(),
		postNumber: z.int().min(1).nullable(),
		pageTitle: z.string().nullable(),
		reason: z.string().nullable().describe("A moderator's reason (declined suggestion, rejected edit, hidden post)."),
		action: z.string().nullable().describe('post_moderated: hidden, unhidden, deleted or moved.'),
		url: z.url().describe('Where it leads: the exact post, the wiki page or the review queue.')
	})
);

export const NotificationPage = component(
	'NotificationPage',
	z.strictObject({ notifications: z.array(Notification), unread: z.int().min(0), page: z.int().min(1), pageCount: z.int().min(1) })
);

export const MemberSuggestion = component(
	'MemberSuggestion',
	z.strictObject({
		name: z.string(),
		handle: z.string().describe('What to write after `@` to mention the member.'),
		organisation: z.string()
	})
);
export const MemberSuggestionList = component(
	'MemberSuggestionList',
	z.strictObject({ members: z.array(MemberSuggestion).max(SUGGEST_LIMIT) })
);

export const TrackList = component('TrackList', z.strictObject({ tracks: z.array(Track) }));
export const ThemeList = component('ThemeList', z.strictObject({ themes: z.array(Theme) }));
export const ThreadPage = component('ThreadPage', z.strictObject({ threads: z.array(ThreadSummary), nextCursor: z.string().nullable() }));
export const ThreadEnvelope = component('ThreadEnvelope', z.strictObject({ thread: Thread }));
export const PostPage = component('PostPage', z.strictObject({ posts: z.array(Post), nextCursor: z.string().nullable() }));
export const PostEnvelope = component('PostEnvelope', z.strictObject({ post: Post }));

export const SearchResult = component(
	'SearchResult',
	z.strictObject({
		kind: z.enum(SEARCH_KINDS),
		id: id.describe('Id of the thread, post or wiki page.'),
		url: z.url().describe('The exact post, the thread, or the wiki page.'),
		title: z.string().describe('Thread title (for a post: its thread) or wiki page title.'),
		titleHtml: z.string().describe('The title as HTML: escaped text, matches in <mark>.'),
		snippetHtml: z.string().describe('Where the words were found, as HTML: escaped text, matches in <mark>. Empty for thread titles.'),
		thread: z.strictObject({ id, title: z.string(), url: z.url() }).nullable(),
		postNumber: z.int().min(1).nullable(),
		author: z.strictObject({ id, name: z.string(), organisation: z.string() }).nullable(),
		theme: z.string().nullable().describe('Theme slug.'),
		classification: classificationSlug.nullable(),
		date: dateTime.describe('Posted (threads, posts) or last changed (wiki pages).'),
		hidden: z.boolean().describe('A post hidden by a moderator: found only by its author and moderators.')
	})
);

export const SearchPage = component(
	'SearchPage',
	z.strictObject({
		results: z.array(SearchResult),
		total: z.int().min(0).describe('Matches visible to the caller.'),
		page: z.int().min(1),
		pageCount: z.int().min(0)
	})
);

export type ProblemBody = z.output<typeof Problem>;
export type TrackBody = z.output<typeof Track>;
export type ThemeBody = z.output<typeof Theme>;
export type ThreadBody = z.output<typeof Thread>;
export type ThreadSummaryBody = z.output<typeof ThreadSummary>;
export type PostBody = z.output<typeof Post>;
export type MemberSuggestionBody = z.output<typeof MemberSuggestion>;
export type ReactionStateBody = z.output<typeof ReactionState>;
export type NotificationPageBody = z.output<typeof NotificationPage>;
export type SearchPageBody = z.output<typeof SearchPage>;
