/**
 * The API's public shapes, typed by the contract's schemas (contract.ts) that the OpenAPI document
 * is generated from: a field added here and not there, or the other way round, fails to compile.
 * Internal columns never leak.
 */
import type { PostBody, ThreadBody, ThreadSummaryBody } from './contract';
import type { getPostsPage, getThread, listThreadRows } from '../forum/reading';
import { threadPath } from '../forum/reading';

type ThreadRow = Awaited<ReturnType<typeof listThreadRows>>[number];
type ThreadDetail = Awaited<ReturnType<typeof getThread>>['thread'];
type PostRow = Awaited<ReturnType<typeof getPostsPage>>[number];

const iso = (value: Date | string) => new Date(value).toISOString();

type ThreadFields = Pick<ThreadDetail, 'id' | 'slug' | 'title' | 'visibility' | 'pinned' | 'locked' | 'theme_slug' | 'post_count' | 'created_at' | 'last_posted_at'>;

export function threadDetail(t: ThreadFields, origin: string): ThreadBody {
	return {
		id: t.id,
		title: t.title,
		url: `${origin}${threadPath(t)}`,
		visibility: t.visibility,
		pinned: t.pinned,
		locked: t.locked,
		theme: t.theme_slug,
		postCount: t.post_count,
		createdAt: iso(t.created_at),
		lastPostedAt: iso(t.last_posted_at)
	};
}

export function threadSummary(t: ThreadRow, origin: string): ThreadSummaryBody {
	return { ...threadDetail(t, origin), starter: { id: t.starter_id, name: t.starter_name, organisation: t.starter_organisation } };
}

export function post(p: PostRow, threadId: number, origin: string): PostBody {
	return {
		id: p.id,
		threadId,
		number: p.number,
		url: `${origin}/p/${p.id}`,
		author: { id: p.author_id, name: p.author_name, title: p.author_title, organisation: p.author_organisation },
		deleted: p.deleted_at !== null,
		// Marked for those who still read it (author, moderators); others get the place, no words.
		hidden: p.hidden,
		source: p.source,
		html: p.html,
		createdAt: iso(p.created_at),
		editedAt: p.edited_at ? iso(p.edited_at) : null,
		replyTo: p.reply_to_post_id,
		reactions: {
			like: { count: p.reactions.like.count, mine: p.reactions.like.mine },
			insightful: { count: p.reactions.insightful.count, mine: p.reactions.insightful.mine },
			thanks: { count: p.reactions.thanks.count, mine: p.reactions.thanks.mine }
		}
	};
}

/** Opaque cursors: base64url JSON, validated on the way back in. */
export function encodeCursor(value: object): string {
	return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor(cursor: string | null): Record<string, unknown> | null {
	if (!cursor) return null;
	try {
		const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
		return value && typeof value === 'object' ? value : null;
	} catch {
		return null;
	}
}
