/**
 * The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json. Tests validate real
 * responses against these schemas, so the document cannot drift from what the endpoints do.
 */
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const problemResponse = (description: string) => ({
	description,
	content: { 'application/problem+json': { schema: ref('Problem') } }
});
const jsonResponse = (description: string, schema: object) => ({
	description,
	content: { 'application/json': { schema } }
});
const jsonBody = (schema: object) => ({ required: true, content: { 'application/json': { schema } } });
const idParam = (name: string, description: string) => ({
	name,
	in: 'path',
	required: true,
	description,
	schema: { type: 'integer', minimum: 1 }
});
const errors = {
	'400': problemResponse('Invalid input; `errors` names each bad field.'),
	'401': problemResponse('Not signed in, or an unknown API token.'),
	'403': problemResponse('Signed in, but not allowed.'),
	'404': problemResponse('Not found — also for members-only threads when not a member.')
};

const reactionParams = [idParam('id', 'Post id.'), { name: 'kind', in: 'path', required: true, schema: { enum: ['like', 'insightful', 'thanks'] } }];

const dateTime = { type: 'string', format: 'date-time' };

export const openApiDocument = {
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
			cookie: { type: 'apiKey', in: 'cookie', name: 'kt_session' }
		},
		schemas: {
			Problem: {
				type: 'object',
				required: ['type', 'title', 'status'],
				properties: {
					type: { type: 'string' },
					title: { type: 'string' },
					status: { type: 'integer' },
					detail: { type: 'string' },
					code: { type: 'string', description: 'Stable machine-readable code of the problem.' },
					errors: { type: 'object', additionalProperties: { type: 'string' }, description: 'Message per invalid field.' },
					fieldCodes: { type: 'object', additionalProperties: { type: 'string' } }
				}
			},
			Track: {
				type: 'object',
				additionalProperties: false,
				required: ['slug', 'name', 'nameEn', 'description', 'themes'],
				properties: {
					slug: { type: 'string' },
					name: { type: 'string' },
					nameEn: { type: 'string' },
					description: { type: 'string' },
					themes: { type: 'array', items: { type: 'string' } }
				}
			},
			Theme: {
				type: 'object',
				additionalProperties: false,
				required: ['slug', 'name', 'nameEn', 'description', 'defaultVisibility', 'tracks', 'threadCount', 'lastPostedAt'],
				properties: {
					slug: { type: 'string' },
					name: { type: 'string' },
					nameEn: { type: 'string' },
					description: { type: 'string' },
					defaultVisibility: { enum: ['public', 'members'] },
					tracks: { type: 'array', items: { type: 'string' } },
					threadCount: { type: 'integer', minimum: 0 },
					lastPostedAt: { type: ['string', 'null'], format: 'date-time' }
				}
			},
			ThreadSummary: {
				type: 'object',
				additionalProperties: false,
				required: ['id', 'title', 'url', 'visibility', 'pinned', 'locked', 'theme', 'postCount', 'createdAt', 'lastPostedAt', 'starter'],
				properties: {
					id: { type: 'integer' },
					title: { type: 'string' },
					url: { type: 'string', format: 'uri' },
					visibility: { enum: ['public', 'members'] },
					pinned: { type: 'boolean' },
					locked: { type: 'boolean' },
					theme: { type: 'string' },
					postCount: { type: 'integer', minimum: 1 },
					createdAt: dateTime,
					lastPostedAt: dateTime,
					starter: {
						type: 'object',
						additionalProperties: false,
						required: ['id', 'name', 'organisation'],
						properties: { id: { type: 'integer' }, name: { type: 'string' }, organisation: { type: 'string' } }
					}
				}
			},
			Thread: {
				type: 'object',
				additionalProperties: false,
				required: ['id', 'title', 'url', 'visibility', 'pinned', 'locked', 'theme', 'postCount', 'createdAt', 'lastPostedAt'],
				properties: {
					id: { type: 'integer' },
					title: { type: 'string' },
					url: { type: 'string', format: 'uri' },
					visibility: { enum: ['public', 'members'] },
					pinned: { type: 'boolean' },
					locked: { type: 'boolean' },
					theme: { type: 'string' },
					postCount: { type: 'integer', minimum: 1 },
					createdAt: dateTime,
					lastPostedAt: dateTime
				}
			},
			ReactionState: {
				type: 'object',
				required: ['kind', 'active'],
				additionalProperties: false,
				properties: { kind: { enum: ['like', 'insightful', 'thanks'] }, active: { type: 'boolean' } }
			},
			ReactionCount: {
				type: 'object',
				additionalProperties: false,
				required: ['count', 'mine'],
				properties: { count: { type: 'integer', minimum: 0 }, mine: { type: 'boolean' } }
			},
			Post: {
				type: 'object',
				additionalProperties: false,
				required: ['id', 'threadId', 'number', 'url', 'author', 'deleted', 'hidden', 'source', 'html', 'createdAt', 'editedAt', 'replyTo', 'reactions'],
				properties: {
					id: { type: 'integer' },
					threadId: { type: 'integer' },
					number: { type: 'integer', minimum: 1, description: 'Position in the thread; 1 is the opening post.' },
					url: { type: 'string', format: 'uri' },
					author: {
						type: 'object',
						additionalProperties: false,
						required: ['id', 'name', 'title', 'organisation'],
						properties: { id: { type: 'integer' }, name: { type: 'string' }, title: { type: 'string' }, organisation: { type: 'string' } }
					},
					deleted: { type: 'boolean' },
					hidden: { type: 'boolean', description: 'Hidden by a moderator. Its author and moderators still get its text; everyone else gets its place with source and html null.' },
					source: { type: ['string', 'null'], description: 'Markdown; null when deleted or hidden from the reader.' },
					html: { type: ['string', 'null'], description: 'Sanitised HTML rendered on the server; null when deleted or hidden from the reader.' },
					createdAt: dateTime,
					editedAt: { type: ['string', 'null'], format: 'date-time' },
					replyTo: { type: ['integer', 'null'] },
					reactions: {
						type: 'object',
						additionalProperties: false,
						required: ['like', 'insightful', 'thanks'],
						properties: { like: ref('ReactionCount'), insightful: ref('ReactionCount'), thanks: ref('ReactionCount') }
					}
				}
			},
			NewThread: {
				type: 'object',
				required: ['theme', 'title', 'body'],
				properties: {
					theme: { type: 'string', description: 'Theme slug.' },
					title: { type: 'string', minLength: 5, maxLength: 150 },
					body: { type: 'string', minLength: 1, maxLength: 20000, description: 'Markdown.' },
					visibility: { enum: ['public', 'members'], description: "Defaults to the theme's default." }
				}
			},
			NewPost: {
				type: 'object',
				required: ['body'],
				properties: {
					body: { type: 'string', minLength: 1, maxLength: 20000 },
					replyTo: { type: 'integer', description: 'Id of the post this answers (and quotes). A hidden or deleted post cannot be answered: 409.' }
				}
			},
			PostEdit: {
				type: 'object',
				required: ['body'],
				properties: {
					body: { type: 'string', minLength: 1, maxLength: 20000 },
					title: { type: 'string', minLength: 5, maxLength: 150, description: 'New thread title; only for the opening post (number 1), ignored otherwise.' }
				}
			}
		}
	},
	security: [{}, { bearer: [] }, { cookie: [] }],
	paths: {
		'/tracks': {
			get: {
				operationId: 'listTracks',
				summary: 'The programme tracks and the slugs of their themes.',
				responses: {
					'200': jsonResponse('Tracks.', {
						type: 'object',
						required: ['tracks'],
						additionalProperties: false,
						properties: { tracks: { type: 'array', items: ref('Track') } }
					})
				}
			}
		},
		'/themes': {
			get: {
				operationId: 'listThemes',
				summary: 'All themes, with the tracks they belong to and activity visible to the caller.',
				responses: {
					'200': jsonResponse('Themes.', {
						type: 'object',
						required: ['themes'],
						additionalProperties: false,
						properties: { themes: { type: 'array', items: ref('Theme') } }
					})
				}
			}
		},
		'/threads': {
			get: {
				operationId: 'listThreads',
				summary: 'Threads visible to the caller, latest activity first.',
				parameters: [
					{ name: 'theme', in: 'query', schema: { type: 'string' }, description: 'Theme slug.' },
					{ name: 'track', in: 'query', schema: { type: 'string' }, description: 'Track slug.' },
					{ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 25 } },
					{ name: 'cursor', in: 'query', schema: { type: 'string' }, description: '`nextCursor` of the previous page.' }
				],
				responses: {
					'200': jsonResponse('A page of threads.', {
						type: 'object',
						required: ['threads', 'nextCursor'],
						additionalProperties: false,
						properties: { threads: { type: 'array', items: ref('ThreadSummary') }, nextCursor: { type: ['string', 'null'] } }
					}),
					'400': errors['400'],
					'404': errors['404']
				}
			},
			post: {
				operationId: 'createThread',
				summary: 'Start a thread (members).',
				requestBody: jsonBody(ref('NewThread')),
				responses: {
					'201': jsonResponse('The new thread.', {
						type: 'object',
						required: ['thread'],
						additionalProperties: false,
						properties: { thread: ref('Thread') }
					}),
					...errors,
					'415': problemResponse('The body was not JSON.')
				}
			}
		},
		'/threads/{id}': {
			get: {
				operationId: 'getThread',
				parameters: [idParam('id', 'Thread id.')],
				responses: {
					'200': jsonResponse('The thread.', {
						type: 'object',
						required: ['thread'],
						additionalProperties: false,
						properties: { thread: ref('Thread') }
					}),
					'404': errors['404']
				}
			}
		},
		'/threads/{id}/posts': {
			get: {
				operationId: 'listPosts',
				summary: 'Posts in thread order.',
				parameters: [
					idParam('id', 'Thread id.'),
					{ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
					{ name: 'cursor', in: 'query', schema: { type: 'string' } }
				],
				responses: {
					'200': jsonResponse('A page of posts.', {
						type: 'object',
						required: ['posts', 'nextCursor'],
						additionalProperties: false,
						properties: { posts: { type: 'array', items: ref('Post') }, nextCursor: { type: ['string', 'null'] } }
					}),
					'400': errors['400'],
					'404': errors['404']
				}
			},
			post: {
				operationId: 'createPost',
				summary: 'Reply to a thread (members).',
				parameters: [idParam('id', 'Thread id.')],
				requestBody: jsonBody(ref('NewPost')),
				responses: {
					'201': jsonResponse('The new post.', {
						type: 'object',
						required: ['post'],
						additionalProperties: false,
						properties: { post: ref('Post') }
					}),
					...errors,
					'409': problemResponse('`replyTo` names a post that is hidden or deleted, which cannot be answered with a quote.'),
					'415': problemResponse('The body was not JSON.')
				}
			}
		},
		'/posts/{id}': {
			get: {
				operationId: 'getPost',
				parameters: [idParam('id', 'Post id.')],
				responses: {
					'200': jsonResponse('The post.', { type: 'object', required: ['post'], additionalProperties: false, properties: { post: ref('Post') } }),
					'404': errors['404']
				}
			},
			patch: {
				operationId: 'editPost',
				summary: 'Edit a post (its author or a moderator). Every edit is kept as a revision.',
				parameters: [idParam('id', 'Post id.')],
				requestBody: jsonBody(ref('PostEdit')),
				responses: {
					'200': jsonResponse('The edited post.', { type: 'object', required: ['post'], additionalProperties: false, properties: { post: ref('Post') } }),
					...errors,
					'409': problemResponse('The post is deleted.'),
					'415': problemResponse('The body was not JSON.')
				}
			},
			delete: {
				operationId: 'deletePost',
				summary: 'Delete a post (soft: it stays as "deleted" in the thread).',
				parameters: [idParam('id', 'Post id.')],
				responses: { '204': { description: 'Deleted.' }, ...errors }
			}
		},
		'/posts/{id}/reactions/{kind}': {
			put: {
				operationId: 'addReaction',
				parameters: reactionParams,
				responses: { '200': jsonResponse('The reaction is given.', ref('ReactionState')), ...errors }
			},
			delete: {
				operationId: 'removeReaction',
				parameters: reactionParams,
				responses: { '200': jsonResponse('The reaction is taken back.', ref('ReactionState')), ...errors }
			}
		}
	}
} as const;
