/**
 * One LISTEN per process. On PostgreSQL it is a dedicated client outside the pool (a pooled
 * connection would be handed to other work); on PGlite it is the embedded instance's own listener.
 */
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { log } from '../log';
import { exclusive } from './pglite-dialect';

export interface ListenOptions {
	onMessage(payload: string): void;
	/**
	 * Called after the LISTEN connection was lost and re-established: notifications sent in between
	 * are gone, so listeners must tell their clients to catch up.
	 */
	onReconnect?(): void;
	/** Called when the LISTEN connection is lost: until onReconnect, notifications are not arriving. */
	onLost?(): void;
}

export type Unlisten = () => Promise<void>;

const quote = (channel: string) => `"${channel.replaceAll('"', '""')}"`;

export async function listenPglite(pglite: PGlite, channel: string, options: ListenOptions): Promise<Unlisten> {
	const callback = (payload: string) => options.onMessage(payload);
	// LISTEN must not land inside another request's open transaction on the shared connection.
	await exclusive(pglite, () => pglite.listen(quote(channel), callback));
	// Not the function listen() returns: it UNLISTENs the unquoted name, which breaks on dotted names.
	return () => exclusive(pglite, () => pglite.unlisten(quote(channel), callback));
}

export async function listenPostgres(connectionString: string, channel: string, options: ListenOptions): Promise<Unlisten> {
	let client: pg.Client | undefined;
	let stopped = false;
	let retry: NodeJS.Timeout | undefined;
	let attempt = 0;

	const connect = async (isReconnect: boolean): Promise<void> => {
		const next = new pg.Client({ connectionString });
		next.on('notification', (message) => {
			if (message.channel === channel && message.payload !== undefined) options.onMessage(message.payload);
		});
		next.on('error', (error) => {
			log.warn({ err: { message: error.message } }, 'LISTEN connection lost; reconnecting');
			scheduleReconnect();
		});
		next.on('end', () => {
			if (!stopped && client === next) scheduleReconnect();
		});
		try {
			await next.connect();
			await next.query(`LISTEN ${quote(channel)}`);
		} catch (error) {
			next.end().catch(() => {});
			throw error;
		}
		client = next;
		attempt = 0;
		if (isReconnect) options.onReconnect?.();
	};

	const scheduleReconnect = () => {
		if (stopped || retry) return;
		options.onLost?.();
		const old = client;
		client = undefined;
		old?.end().catch(() => {});
		// Short and capped: live updates should resume within seconds of the database's return.
		const delay = Math.min(2_000, 250 * 2 ** attempt++);
		retry = setTimeout(() => {
			retry = undefined;
			connect(true).catch((error: Error) => {
				log.debug({ err: { message: error.message } }, 'LISTEN reconnect failed');
				scheduleReconnect();
			});
		}, delay);
	};

	await connect(false);
	return async () => {
		stopped = true;
		clearTimeout(retry);
		const old = client;
		client = undefined;
		await old?.end().catch(() => {});
	};
}
