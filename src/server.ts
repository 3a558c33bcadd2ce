/**
 * Production entry (`npm start`): one HTTP server carrying Express 5 with SvelteKit's adapter-node
 * handler and Socket.IO. The socket behaviour lives in the SvelteKit bundle (it shares the database
 * handle); the two meet in host-bridge.ts. Bundled by esbuild to build/server.js next to handler.js.
 */
import http from 'node:http';
import net from 'node:net';
import express from 'express';
import { hostBridge } from './lib/server/host-bridge';
import { log } from './lib/server/log';
import { hostSocketServer } from './lib/server/realtime/host';
import { RequestDrain } from './lib/server/request-drain';

const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || '0.0.0.0';

// SvelteKit rejects form posts whose Origin does not match ORIGIN; without it adapter-node assumes
// https, so plain-HTTP local runs would fail every form. Production must set it explicitly.
if (!process.env.ORIGIN) {
	process.env.ORIGIN = `http://localhost:${port}`;
	log.warn(`ORIGIN is not set; assuming ${process.env.ORIGIN}. Set ORIGIN to the public URL in production.`);
}

const app = express();
app.disable('x-powered-by');
app.set('trust proxy', process.env.TRUST_PROXY ?? false);
// Counts the requests a shutdown waits for (Socket.IO's, long-polling included, it closes itself).
const drain = new RequestDrain();
const server = http.createServer(drain.track(app));
// Before the bundle loads: its init hook gives this Socket.IO server its behaviour.
const io = hostSocketServer(server);

// Imported after ORIGIN is settled: adapter-node reads the environment when its module loads.
const { handler } = await import(new URL('./handler.js', import.meta.url).href);
app.use(handler);

// Node's default accept queue (511) overflows when thousands of sockets reconnect at once (an
// instance restarted, a failover): the kernel drops their SYNs and each client waits 1, 3, 7 s
// to retry. The kernel caps this at net.core.somaxconn.
const LISTEN_BACKLOG = 4096;
server.listen({ port, host, backlog: LISTEN_BACKLOG }, () => {
	log.info({ port, host }, `listening on http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`);
});

/** How long in-flight requests may take to finish once a shutdown has begun. */
const SHUTDOWN_GRACE_MS = Number(process.env.SHUTDOWN_GRACE_MS || 10_000);

let stopping = false;
/**
 * Graceful stop (SIGTERM from a process manager or orchestrator): readiness turns 503, the port
 * stops accepting, sockets are closed so their clients reconnect to another instance and catch up,
 * every response says `Connection: close` so keep-alive clients go elsewhere after it, requests
 * already running get SHUTDOWN_GRACE_MS to finish, then the database closes.
 */
async function shutdown(signal: string) {
	if (stopping) return;
	stopping = true;
	hostBridge().stopping = true;
	log.info({ signal }, 'shutting down');
	drain.stop();
	// Live sockets are closed now (their transports: clients reconnect, to another instance). Not
	// io.close() yet: it ends with the HTTP server's close(), which resets every connection idle at
	// that instant (request-drain.ts). The port stops accepting; connections end after their next
	// response.
	io.engine.close();
	net.Server.prototype.close.call(server);
	if (!(await drain.drained(SHUTDOWN_GRACE_MS))) {
		log.warn({ graceMs: SHUTDOWN_GRACE_MS, running: drain.running }, 'requests still running after the grace period; closing them');
		server.closeAllConnections();
	}
	// Socket.IO's adapter, and connections that stayed idle since before the stop.
	await io.close();
	try {
		// Waits for handlers still running (their connections may be gone), then closes the database.
		await hostBridge().shutdown?.();
	} catch (err) {
		log.error({ err }, 'closing the database failed');
	} finally {
		log.info('stopped');
		process.exit(0);
	}
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
// A stray rejected promise (a library's background retry, say) is logged, not fatal: a fault
// outside the process must not end it.
process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled promise rejection'));
