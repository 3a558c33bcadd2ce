/**
 * How each kind of notification reaches a member: in the app, by e-mail too, or not at all. A row
 * in `notification_preferences` exists only where the member chose; everything else falls back to
 * DEFAULT_CHANNEL, so a new kind gets its default without a migration.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { DEFAULT_CHANNEL, NOTIFICATION_CHANNELS, NOTIFICATION_KINDS, type NotificationChannelChoice, type NotificationKind } from '../../notification-kinds';
import type { Db } from '../db/index';
import type { Database } from '../db/schema';
import { parseInput } from '../errors';
import { authorize, canReadNotifications, isModerator, type Actor, type Member } from '../policy';

export type Preferences = Record<NotificationKind, NotificationChannelChoice>;

/** The kinds a member can choose for: the review queue is a moderator's only. */
export function kindsFor(actor: Actor): NotificationKind[] {
	return NOTIFICATION_KINDS.filter((kind) => kind !== 'review_queue' || isModerator(actor));
}

/** Every recipient's channel for one kind, in one query. */
export async function channelsFor(db: Kysely<Database>, userIds: readonly number[], kind: NotificationKind): Promise<Map<number, NotificationChannelChoice>> {
	const channels = new Map<number, NotificationChannelChoice>(userIds.map((id) => [id, DEFAULT_CHANNEL[kind]]));
	if (!userIds.length) return channels;
	const rows = await db
		.selectFrom('notification_preferences')
		.select(['user_id', 'channel'])
		.where('user_id', 'in', [...userIds])
		.where('kind', '=', kind)
		.execute();
	for (const row of rows) channels.set(row.user_id, row.channel);
	return channels;
}

/** A member's choices for every kind, defaults filled in, plus the two automatic-following switches. */
export async function getPreferences(db: Db, actor: Actor) {
	authorize(canReadNotifications(actor), actor, 'notification preferences');
	const id = (actor as Member).id;
	const [rows, user] = await Promise.all([
		db.selectFrom('notification_preferences').select(['kind', 'channel']).where('user_id', '=', id).execute(),
		db.selectFrom('users').select(['auto_watch_started', 'auto_track_replied']).where('id', '=', id).executeTakeFirstOrThrow()
	]);
	const channels = { ...DEFAULT_CHANNEL };
	for (const row of rows) {
		if ((NOTIFICATION_KINDS as readonly string[]).includes(row.kind)) channels[row.kind as NotificationKind] = row.channel;
	}
	return { channels, kinds: kindsFor(actor), autoWatchStarted: user.auto_watch_started, autoTrackReplied: user.auto_track_replied };
}

// A checkbox that is not ticked is not sent at all: absence means "off".
const checkbox = z.preprocess((v) => v === 'on' || v === 'true' || v === true, z.boolean());
const channelField = z.enum(NOTIFICATION_CHANNELS).optional();
const preferencesSchema = z.object({
	...Object.fromEntries(NOTIFICATION_KINDS.map((kind) => [kind, channelField])),
	autoWatchStarted: checkbox,
	autoTrackReplied: checkbox
}) as z.ZodType<Partial<Record<NotificationKind, NotificationChannelChoice>> & { autoWatchStarted: boolean; autoTrackReplied: boolean }>;

/**
 * Saves the member's choices in one transaction. A kind set to its default keeps no row, so a
 * later change of the default reaches everyone who never chose.
 */
export async function setPreferences(db: Db, actor: Actor, input: unknown) {
	authorize(canReadNotifications(actor), actor, 'notification preferences');
	const data = parseInput(preferencesSchema, input);
	const id = (actor as Member).id;
	await db.transaction().execute(async (trx) => {
		for (const kind of kindsFor(actor)) {
			const channel = data[kind];
			if (!channel) continue;
			if (channel === DEFAULT_CHANNEL[kind]) {
				await trx.deleteFrom('notification_preferences').where('user_id', '=', id).where('kind', '=', kind).execute();
			} else {
				await trx
					.insertInto('notification_preferences')
					.values({ user_id: id, kind, channel })
					.onConflict((oc) => oc.columns(['user_id', 'kind']).doUpdateSet({ channel }))
					.execute();
			}
		}
		await trx.updateTable('users').set({ auto_watch_started: data.autoWatchStarted, auto_track_replied: data.autoTrackReplied }).where('id', '=', id).execute();
	});
	return getPreferences(db, actor);
}
