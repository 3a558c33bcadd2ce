/**
 * Flagging a post for the review queue: a nomination ("this belongs in the wiki") and an abuse
 * report ("Anmäl") are the same act with different rules and rows. Both load the post's facts
 * locked, check the member's standing and the policy, allow one open flag per member and post,
 * insert and publish — written once here so the two cannot drift apart.
 */
import type { Transaction } from 'kysely';
import type { Db } from '../db/index';
import type { Database } from '../db/schema';
import { DomainError } from '../errors';
import { publish } from '../forum/events';
import { lockPostFacts } from '../forum/post-facts';
import type { ForumEvent } from '../../realtime/events';
import { withStanding } from '../moderation/standing';
import { notifyReviewQueue } from '../notifications/notifications';
import { authorize, type Actor, type Member } from '../policy';

type LockedPost = Awaited<ReturnType<typeof lockPostFacts>>;

export interface FlagKind<Row> {
	/** For the policy error: what the member tried to do. */
	what: string;
	may: (actor: Actor, post: LockedPost) => boolean;
	/** The member's flag on this post that still counts (open, or for nominations also promoted). */
	findOpen: (trx: Transaction<Database>, memberId: number, postId: number) => Promise<unknown>;
	/** The i18n key of the 409 when the member already has one. */
	duplicate: string;
	insert: (trx: Transaction<Database>, memberId: number, postId: number) => Promise<Row>;
	/** Events besides `curation.queue_changed`, which every flag publishes. */
	events?: (post: LockedPost) => ForumEvent[];
}

export async function flagPost<Row>(db: Db, actor: Actor, postId: number, kind: FlagKind<Row>): Promise<Row> {
	return db.transaction().execute(async (trx) => {
		// Locked, so two flags by one member cannot both pass the duplicate check below.
		const post = await lockPostFacts(trx, actor, postId);
		actor = await withStanding(trx, actor);
		authorize(kind.may(actor, post), actor, kind.what);
		const memberId = (actor as Member).id;
		if (await kind.findOpen(trx, memberId, postId)) throw new DomainError(409, { key: kind.duplicate });
		const row = await kind.insert(trx, memberId, postId);
		for (const event of kind.events?.(post) ?? []) await publish(trx, event);
		await publish(trx, { type: 'curation.queue_changed' });
		await notifyReviewQueue(trx, memberId);
		return row;
	});
}
