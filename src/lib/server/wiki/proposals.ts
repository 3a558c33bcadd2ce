/**
 * Members propose edits to a wiki page; the proposal waits in the review queue until a moderator
 * accepts it (it becomes a revision credited to the proposer) or rejects it with a reason — both
 * decided in curation/review.ts, like every item of the queue.
 */
import { z } from 'zod';
import { CHANGE_SUMMARY_MAX } from '../../input-rules';
import type { Db } from '../db/index';
import { parseInput, DomainError, notFound } from '../errors';
import { publish } from '../forum/events';
import { notifyReviewQueue } from '../notifications/notifications';
import { withStanding } from '../moderation/standing';
import { authorize, canCurate, canProposeWikiEdit, canSeeWikiPage, type Actor, type Member } from '../policy';
import { diffTexts, type TextDiff } from './diff';
import { wikiBodyField, wikiTitleField } from './input';
import { currentContent } from './writing';


const proposalSchema = z.object({
	title: wikiTitleField.optional(),
	body: wikiBodyField,
	changeSummary: z.string().trim().min(3).max(CHANGE_SUMMARY_MAX)
});

export async function proposeEdit(db: Db, actor: Actor, pageId: number, input: unknown) {
	const data = parseInput(proposalSchema, input);
	return db.transaction().execute(async (trx) => {
		const page = await trx.selectFrom('wiki_pages').select(['id', 'visibility', 'title', 'current_revision_id']).where('id', '=', pageId).executeTakeFirst();
		if (!page || !canSeeWikiPage(actor, page)) throw notFound();
		actor = await withStanding(trx, actor);
		authorize(canProposeWikiEdit(actor, page), actor, 'propose a wiki edit');
		const current = await currentContent(trx, pageId);
		if ((data.title ?? current.title) === current.title && data.body === current.body) {
			throw new DomainError(409, { key: 'error_wiki_proposal_unchanged' });
		}
		const proposal = await trx
			.insertInto('wiki_edit_proposals')
			.values({
				page_id: pageId,
				proposer_id: (actor as Member).id,
				base_revision_id: page.current_revision_id,
				title: data.title ?? current.title,
				body: data.body,
				change_summary: data.changeSummary
			})
			.returning(['id', 'status'])
			.executeTakeFirstOrThrow();
		await publish(trx, { type: 'curation.queue_changed' });
		await notifyReviewQueue(trx, (actor as Member).id);
		return { proposal };
	});
}

/** For the curation queue: what each pending proposal would change, word by word, against the page now. */
export async function proposalChanges(db: Db, actor: Actor, proposalIds: number[]) {
	authorize(canCurate(actor), actor, 'review wiki edit proposals');
	if (!proposalIds.length) return new Map<number, { title: { from: string; to: string } | null; body: TextDiff }>();
	// Each proposal with the page's current text, in one query.
	const proposals = await db
		.selectFrom('wiki_edit_proposals as p')
		.innerJoin('wiki_pages', 'wiki_pages.id', 'p.page_id')
		.innerJoin('wiki_revisions as current', 'current.id', 'wiki_pages.current_revision_id')
		.select(['p.id', 'p.title', 'p.body', 'current.title as current_title', 'current.body as current_body'])
		.where('p.id', 'in', proposalIds)
		.execute();
	const changes = new Map<number, { title: { from: string; to: string } | null; body: TextDiff }>();
	for (const proposal of proposals) {
		changes.set(proposal.id, {
			title: proposal.title && proposal.title !== proposal.current_title ? { from: proposal.current_title, to: proposal.title } : null,
			body: diffTexts(proposal.current_body, proposal.body)
		});
	}
	return changes;
}
