/**
 * Readers grouped by what they may see of one event, so the fan-out shapes a payload once per
 * group (by asking `viewPost` and the nomination shaping, i.e. policy, for one reader of the group)
 * and Socket.IO encodes it once for all of the group's sockets — not once per socket.
 *
 * Why the grouping is exact: shaping one post (forum/reading.ts `viewPost`) and its nomination
 * state (curation/nominations.ts `shapeNominationStates`) reads from the actor only its kind, its
 * role, whether it is suspended now, and its id — and the id only to compare it with ids in the
 * shaped facts (the post's author, who reacted, who nominated). A reader whose id is among those
 * facts gets a group of their own; every other reader is grouped by kind, role and suspension.
 * Should shaping come to depend on anything else about the reader, it must be added to
 * `readerClass`: the realtime tests compare grouped delivery with shaping per reader for readers
 * that differ in every field an actor has.
 */
import { isSuspended, type Actor } from '../policy';

/** The ids a payload is personal to: a reader with one of them is shaped on their own. */
export type PersonalIds = ReadonlySet<number>;

export function readerClass(actor: Actor, personal: PersonalIds, now: Date): string {
	if (actor.kind === 'guest') return 'guest';
	const standing = isSuspended(actor, now) ? 'suspended' : 'active';
	return personal.has(actor.id) ? `user:${actor.id}:${actor.role}:${standing}` : `${actor.role}:${standing}`;
}

export interface ReaderGroup<S> {
	/** The reader the payload is shaped for; every member of the group would get the same. */
	actor: Actor;
	members: S[];
}

/** Splits readers into groups that get the same payload. */
export function groupReaders<S>(readers: S[], actorOf: (reader: S) => Actor, personal: PersonalIds, now = new Date()): ReaderGroup<S>[] {
	const groups = new Map<string, ReaderGroup<S>>();
	for (const reader of readers) {
		const actor = actorOf(reader);
		const key = readerClass(actor, personal, now);
		const group = groups.get(key);
		if (group) group.members.push(reader);
		else groups.set(key, { actor, members: [reader] });
	}
	return [...groups.values()];
}
