/**
 * The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json. Every schema in it is
 * generated from the zod contract (contract.ts) with `z.toJSONSchema` — OpenAPI 3.1 speaks JSON
 * Schema 2020-12 — so limits, enumerations and shapes are the ones the code enforces and
 * produces. What is written here by hand is only prose and which operation answers what.
 */
import { z } from 'zod';
import { SESSION_COOKIE } from '../auth/lucia';
import { apiSchemas, IdParam, MemberSuggestQuery, NotificationListQuery, PostListQuery, ReactionKindParam, SearchQuery, ThreadListQuery } from './contract';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** A schema as it belongs inside the document: no `$schema` of its own. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
	const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io });
	return rest;
}

function componentSchemas(): Record<string, object> {
	const { schemas } = z.toJSONSchema(apiSchemas, { target: 'draft-2020-12', uri: (id) => `#/components/schemas/${id}` });
	// Each component would carry its own `$schema` and `$id`; inside the document the `$ref`s are enough.
	return Object.fromEntries(Object.entries(schemas).map(([name, { $schema: _s, $id: _i, ...schema }]) => [name, schema]));
}

const problemResponse = (description: string) => ({
	description,
	content: { 'application/problem+json': { schema: ref('Problem') } }
});
const jsonResponse = (description: string, component: string) => ({
	description,
	content: { 'application/json': { schema: ref(component) } }
});
const jsonBody = (component: string) => ({ required: true, content: { 'application/json': { schema: ref(component) } } });

const idParam = (description: string) => ({ name: 'id', in: 'path', required: true, description, schema: jsonSchema(IdParam, 'input') });

/** Query parameters, one per field of a query schema; a field's description goes on the parameter. */
function queryParams(schema: z.ZodObject) {
	return Object.entries(schema.shape).map(([name, field]) => {
		const { description, ...fieldSchema } = jsonSchema(field as z.ZodType, 'input');
		return { name, in: 'query', schema: fieldSchema, ...(description ? { description } : {}) };
	});
}

const errors = {
	'400': problemResponse('Invalid input; `errors` names each bad field.'),
	'401': problemResponse('Not signed in, or an unknown API token.'),
	'403': problemResponse('Signed in, but not allowed.'),
	'404': problemResponse('Not found — also for members-only threads when not a member.')
};
// Every operation can meet these: the request limiter and a database that is away for a moment.
const always = {
	'429': problemResponse('Too many requests; `Retry-After` says when to try again.'),
	'503': problemResponse('The database is unavailable for a moment; `Retry-After` says when to try again.')
};
const bodyErrors = {
	'413': problemResponse('The body is larger than this server accepts.'),
	'415': problemResponse('The body was not JSON.')
};

const reactionParams = [idParam('Post id.'), { name: 'kind', in: 'path', required: true, schema: jsonSchema(ReactionKindParam, 'input') }];

/** Builds the document; openapi.json serves it, the contract tests validate real responses against it. */
export function buildOpenApiDocument() {
	return {
		openapi: '3.1.0',
		info: {
			title: 'Kommuntorget API',
			version: '1.0.0',
			description:
				'Tracks, themes, threads and posts of Kommuntorget. Authenticate with the session cookie or a personal API token (Settings → API tokens) sent as `Authorization: Bearer kt_…`. Guests see public threads only. Errors are RFC 9457 problem+json.'
		},
		servers: [{ url: '/api/v1' }],
		components: {
			securitySchemes: {
				bearer: { type: 'http', scheme: 'bearer', description: 'A personal API token (kt_…).' },
				cookie: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE }
			},
			schemas: componentSchemas()
		},
		security: [{}, { bearer: [] }, { cookie: [] }],
		paths: {
			'/tracks': {
				get: {
					operationId: 'listTracks',
					summary: 'The programme tracks and the slugs of their themes.',
					responses: { '200': jsonResponse('Tracks.', 'TrackList'), ...always }
				}
			},
			'/themes': {
				get: {
					operationId: 'listThemes',
					summary: 'All themes, with the tracks they belong to and activity visible to the caller.',
					responses: { '200': jsonResponse('Themes.', 'ThemeList'), ...always }
				}
			},
			'/threads': {
				get: {
					operationId: 'listThreads',
					summary: 'Threads visible to the caller, latest activity first.',
					parameters: queryParams(ThreadListQuery),
					responses: { '200': jsonResponse('A page of threads.', 'ThreadPage'), '400': errors['400'], '404': errors['404'], ...always }
				},
				post: {
					operationId: 'createThread',
					summary: 'Start a thread (members).',
					requestBody: jsonBody('NewThread'),
					responses: { '201': jsonResponse('The new thread.', 'ThreadEnvelope'), ...errors, ...bodyErrors, ...always }
				}
			},
			'/threads/{id}': {
				get: {
					operationId: 'getThread',
					parameters: [idParam('Thread id.')],
					responses: { '200': jsonResponse('The thread.', 'ThreadEnvelope'), '404': errors['404'], ...always }
				}
			},
			'/threads/{id}/posts': {
				get: {
					operationId: 'listPosts',
					summary: 'Posts in thread order.',
					parameters: [idParam('Thread id.'), ...queryParams(PostListQuery)],
					responses: { '200': jsonResponse('A page of posts.', 'PostPage'), '400': errors['400'], '404': errors['404'], ...always }
				},
				post: {
					operationId: 'createPost',
					summary: 'Reply to a thread (members).',
					parameters: [idParam('Thread id.')],
					requestBody: jsonBody('NewPost'),
					responses: {
						'201': jsonResponse('The new post.', 'PostEnvelope'),
						...errors,
						'409': problemResponse('`replyTo` names a post that is hidden or deleted, which cannot be answered with a quote.'),
						...bodyErrors,
						...always
					}
				}
			},
			'/posts/{id}': {
				get: {
					operationId: 'getPost',
					parameters: [idParam('Post id.')],
					responses: { '200': jsonResponse('The post.', 'PostEnvelope'), '404': errors['404'], ...always }
				},
				patch: {
					operationId: 'editPost',
					summary: 'Edit a post (its author or a moderator). Every edit is kept as a revision.',
					parameters: [idParam('Post id.')],
					requestBody: jsonBody('PostEdit'),
					responses: {
						'200': jsonResponse('The edited post.', 'PostEnvelope'),
						...errors,
						'409': problemResponse('The post is deleted.'),
						...bodyErrors,
						...always
					}
				},
				delete: {
					operationId: 'deletePost',
					summary: 'Delete a post (soft: it stays as "deleted" in the thread).',
					parameters: [idParam('Post id.')],
					responses: { '204': { description: 'Deleted.' }, ...errors, ...always }
				}
			},
			'/notifications': {
				get: {
					operationId: 'listNotifications',
					summary: "The caller's notifications (members): unread first, newest first, 30 a page; what they may no longer see is left out.",
					parameters: queryParams(NotificationListQuery),
					responses: { '200': jsonResponse('A page of notifications.', 'NotificationPage'), '400': errors['400'], '401': errors['401'], ...always }
				}
			},
			'/notifications/read': {
				post: {
					operationId: 'readAllNotifications',
					summary: "Mark all of the caller's notifications read.",
					responses: { '204': { description: 'All marked read.' }, '401': errors['401'], ...always }
				}
			},
			'/notifications/{id}/read': {
				post: {
					operationId: 'readNotification',
					summary: 'Mark one of the caller\'s notifications read.',
					parameters: [idParam('Notification id.')],
					responses: { '204': { description: 'Marked read.' }, '401': errors['401'], '404': errors['404'], ...always }
				}
			},
			'/search': {
				get: {
					operationId: 'search',
					summary: 'Full-text search over thread titles, posts and wiki pages visible to the caller, best match first.',
					parameters: queryParams(SearchQuery),
					responses: { '200': jsonResponse('A page of results.', 'SearchPage'), '400': errors['400'], ...always }
				}
			},
			'/posts/{id}/reactions/{kind}': {
				put: {
					operationId: 'addReaction',
					parameters: reactionParams,
					responses: { '200': jsonResponse('The reaction is given.', 'ReactionState'), ...errors, ...always }
				},
				delete: {
					operationId: 'removeReaction',
					parameters: reactionParams,
					responses: { '200': jsonResponse('The reaction is taken back.', 'ReactionState'), ...errors, ...always }
				}
			},
			'/users/suggest': {
				get: {
					operationId: 'suggestMembers',
					summary: 'Members whose name or handle starts with `q`, for @-mentions (members only; at most 8, no e-mail addresses).',
					parameters: queryParams(MemberSuggestQuery),
					responses: {
						'200': jsonResponse('Matching members, closest first.', 'MemberSuggestionList'),
						'400': errors['400'],
						'401': errors['401'],
						...always
					}
				}
			}
		}
	};
}

let document: ReturnType<typeof buildOpenApiDocument> | undefined;

/** The document, generated once per process: the schemas do not change while it runs. */
export function openApiDocument() {
	document ??= buildOpenApiDocument();
	return document;
}
