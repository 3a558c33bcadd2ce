/**
 * The bare Socket.IO floor for bench:fanout: a plain Socket.IO 4 server (the version and options
 * the app uses, its default in-memory adapter, no authentication, no database reads) whose "write"
 * is a NOTIFY on a PostgreSQL channel, answered by one broadcast of a post event of the same size
 * as the app's to everyone in the thread's room. It speaks the two events the benchmark's clients
 * use (`thread:join` with an acknowledgement, `post`), so one client drives both servers.
 * Run by bench/fanout.ts: `tsx bench/floor-socket.ts` with PORT, DATABASE_URL and FLOOR_CHANNEL.
 */
import http from 'node:http';
import pg from 'pg';
import { Server } from 'socket.io';

const port = Number(process.env.PORT);
const channel = process.env.FLOOR_CHANNEL ?? 'kt_bench_floor';

const httpServer = http.createServer((_req, res) => {
	res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
});
const io = new Server(httpServer, { serveClient: false, maxHttpBufferSize: 64 * 1024 });

io.on('connection', (socket) => {
	socket.on('thread:join', async (payload: { threadId?: number }, ack: (reply: unknown) => void) => {
		await socket.join(`thread:${Number(payload?.threadId)}`);
		ack({ ok: true, missed: [], changed: [], more: false, postCount: 0, serverTime: new Date().toISOString() });
	});
});

const listener = new pg.Client({ connectionString: process.env.DATABASE_URL });
listener.on('error', (err) => {
	console.error('floor LISTEN connection failed', err.message);
	process.exit(1);
});
await listener.connect();
listener.on('notification', (message) => {
	const { threadId, postId, bytes } = JSON.parse(message.payload ?? '{}') as { threadId: number; postId: number; bytes: number };
	const event = { threadId, change: 'created', post: { id: postId, html: '' } };
	// Pad the post to the size of the app's own post event, so both send the same bytes.
	event.post.html = 'x'.repeat(Math.max(0, bytes - Buffer.byteLength(JSON.stringify(event))));
	io.to(`thread:${threadId}`).emit('post', event);
});
await listener.query(`listen ${channel}`);

// The same accept queue as the app's entry (src/server.ts), so neither loses connections the other keeps.
httpServer.listen({ port, host: '127.0.0.1', backlog: 4096 }, () => console.info(`floor listening on ${port}`));

process.on('SIGTERM', () => {
	void listener.end();
	io.close(() => process.exit(0));
	setTimeout(() => process.exit(0), 2_000).unref();
});
