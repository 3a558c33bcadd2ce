/**
 * Socket.IO's Postgres adapter (typing and presence between instances), made to survive the
 * database going away. The adapter holds one pooled client for its LISTEN and attaches no 'error'
 * listener to it, so a PostgreSQL restart or a terminated backend would end the process with an
 * unhandled 'error' event. It does reconnect when that client ends: we only make sure the error is
 * handled and the dead client leaves the pool (so restarts do not use up its slots).
 */
import { createAdapter } from '@socket.io/postgres-adapter';
import type pg from 'pg';
import { log } from '../log';

function resilientPool(pool: pg.Pool): pg.Pool {
	const facade = {
		query: pool.query.bind(pool),
		async connect() {
			const client = await pool.connect();
			let released = false;
			const release = client.release;
			client.release = (err?: Error | boolean) => {
				if (released) return;
				released = true;
				release.call(client, err);
			};
			client.on('error', (err) => {
				log.warn({ err: { message: err.message, code: (err as { code?: string }).code } }, 'socket adapter connection lost; reconnecting');
				// Destroys the client: it emits 'end', on which the adapter schedules its reconnection.
				client.release(err);
			});
			return client;
		}
	};
	return facade as unknown as pg.Pool;
}

export function postgresAdapter(pool: pg.Pool) {
	return createAdapter(resilientPool(pool), {
		tableName: 'socket_io_attachments',
		errorHandler: (err) => log.warn({ err: { message: err.message } }, 'socket adapter error')
	});
}
