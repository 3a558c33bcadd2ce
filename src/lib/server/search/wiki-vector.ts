/**
 * The wiki's search vector. Threads and posts have generated `search_vector` columns, but a wiki
 * page's body lives in its current revision, which a generated column cannot reach; so the wiki's
 * write path calls this in the same transaction every time a revision becomes current (create,
 * edit, rename, revert, promotion, accepted proposal all go through `writeRevision`). The weights
 * match the generated columns: titles A (as thread titles), structured good-example fields B,
 * body C (as posts).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema';

export async function refreshWikiSearchVector(trx: Kysely<Database> | Transaction<Database>, pageId: number, body: string): Promise<void> {
	await sql`
		update wiki_pages set search_vector =
			setweight(to_tsvector('swedish'::regconfig, title), 'A')
			|| setweight(to_tsvector('swedish'::regconfig, concat_ws(' ', summary, problem, what_was_done, result, effort)), 'B')
			|| setweight(to_tsvector('swedish'::regconfig, ${body}), 'C')
		where id = ${pageId}`.execute(trx);
}
