/**
 * Atom 1.0 feeds, so guests can follow discussions from outside. Feeds are built for a guest
 * whoever asks (feed readers have no session): members-only threads never appear in one, and a
 * post appears only with words a guest may read — policy's `visiblePosts(GUEST)`, so deleted and
 * hidden posts are left out (a feed has no placeholders: an entry is its words).
 */
import type { Db } from '../db/index';
import { listThreadRows, pageOfPost, threadPath } from '../forum/reading';
import { GUEST, visiblePosts } from '../policy';

export interface AtomEntry {
	id: string;
	title: string;
	href: string;
	updated: Date;
	published: Date;
	author: string;
	/** Sanitised HTML (from markdown.ts), sent as escaped text content. */
	html: string;
}

export interface AtomFeed {
	id: string;
	title: string;
	subtitle?: string;
	selfHref: string;
	alternateHref: string;
	updated: Date;
	entries: AtomEntry[];
}

const escapeXml = (text: string) =>
	text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);

export function renderAtom(feed: AtomFeed): string {
	const entries = feed.entries
		.map(
			(e) => `  <entry>
    <id>${escapeXml(e.id)}</id>
    <title>${escapeXml(e.title)}</title>
    <link rel="alternate" type="text/html" href="${escapeXml(e.href)}"/>
    <published>${e.published.toISOString()}</published>
    <updated>${e.updated.toISOString()}</updated>
    <author><name>${escapeXml(e.author)}</name></author>
    <content type="html">${escapeXml(e.html)}</content>
  </entry>`
		)
		.join('\n');
	return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="sv">
  <id>${escapeXml(feed.id)}</id>
  <title>${escapeXml(feed.title)}</title>
${feed.subtitle ? `  <subtitle>${escapeXml(feed.subtitle)}</subtitle>\n` : ''}  <link rel="self" type="application/atom+xml" href="${escapeXml(feed.selfHref)}"/>
  <link rel="alternate" type="text/html" href="${escapeXml(feed.alternateHref)}"/>
  <updated>${feed.updated.toISOString()}</updated>
  <author><name>Kommuntorget</name></author>
  <generator>Kommuntorget</generator>
${entries}
</feed>
`;
}

export function atomResponse(feed: AtomFeed): Response {
	return new Response(renderAtom(feed), {
		headers: { 'Content-Type': 'application/atom+xml; charset=utf-8', 'Cache-Control': 'public, max-age=300' }
	});
}

/**
 * Latest public threads (of a theme, a track or the whole site), each entry its opening post.
 * A thread whose opening post is hidden (or deleted) is still a public thread, listed on the site
 * under its title, so its entry stays — with the title and no body: the hidden words are what is
 * withheld, not that the discussion exists.
 */
export async function threadEntries(db: Db, origin: string, filter: { themeId?: number; trackId?: number }): Promise<AtomEntry[]> {
	const threads = await listThreadRows(db, GUEST, { ...filter, limit: 30 });
	if (threads.length === 0) return [];
	const openings = await db
		.selectFrom('posts')
		.innerJoin('threads', 'threads.id', 'posts.thread_id')
		.select(['posts.thread_id', 'posts.html'])
		.where('posts.number', '=', 1)
		.where(
			'posts.thread_id',
			'in',
			threads.map((t) => t.id)
		)
		.where(visiblePosts(GUEST))
		.execute();
	return threads.map((t) => ({
		id: `${origin}${threadPath(t)}`,
		title: t.title,
		href: `${origin}${threadPath(t)}`,
		published: new Date(t.created_at),
		updated: new Date(t.last_posted_at),
		author: `${t.starter_name}, ${t.starter_organisation}`,
		html: openings.find((o) => o.thread_id === t.id)?.html ?? ''
	}));
}

/** The latest posts of one public thread. */
export async function postEntries(db: Db, origin: string, thread: { id: number; slug: string; title: string }): Promise<AtomEntry[]> {
	const posts = await db
		.selectFrom('posts')
		.innerJoin('threads', 'threads.id', 'posts.thread_id')
		.innerJoin('users', 'users.id', 'posts.author_id')
		.innerJoin('organisations as org', 'org.id', 'users.organisation_id')
		.select(['posts.id', 'posts.number', 'posts.html', 'posts.created_at', 'posts.edited_at', 'users.name', 'org.short_name'])
		.where('posts.thread_id', '=', thread.id)
		.where(visiblePosts(GUEST))
		.orderBy('posts.number', 'desc')
		.limit(50)
		.execute();
	return posts.map((p) => {
		const page = pageOfPost(p.number);
		return {
			id: `${origin}/p/${p.id}`,
			title: `#${p.number} – ${thread.title}`,
			href: `${origin}${threadPath(thread)}${page > 1 ? `?page=${page}` : ''}#post-${p.number}`,
			published: new Date(p.created_at),
			updated: new Date(p.edited_at ?? p.created_at),
			author: `${p.name}, ${p.short_name}`,
			html: p.html
		};
	});
}

/** A feed's <updated>: its newest entry, or the given time for an empty feed. */
export function newest(entries: AtomEntry[], fallback: Date): Date {
	const times = entries.map((e) => e.updated.getTime());
	return times.length ? new Date(Math.max(...times)) : fallback;
}
