/**
 * A child process holding a share of a fan-out benchmark's sockets (forked by bench/fanout.ts,
 * which cannot drive 2,000 sockets from one event loop without becoming the bottleneck). Each socket
 * connects like the browser's shared connection (src/lib/realtime/live.svelte.ts: WebSocket first,
 * polling allowed), with its member's session cookie, joins one thread room with the last post id
 * it has (as a reader on the thread's last page does) and records when each new post arrives. The
 * same client drives the bare Socket.IO floor (bench/floor-socket.ts), whose server speaks the same
 * two events. Times are wall-clock milliseconds (`performance.timeOrigin + now()`), comparable
 * between the processes of one machine.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';

export type ClientCommand =
	| {
			cmd: 'connect';
			url: string;
			cookies: string[];
			threadId: number;
			/** When given, socket i joins threadIds[i] instead of threadId. */
			threadIds?: number[];
			lastPostId: number | null;
			timeoutMs: number;
	  }
	| { cmd: 'collect' }
	| { cmd: 'close' };

export type ClientReport =
	| {
			kind: 'joined';
			joined: number;
			failed: number;
			errors: Record<string, number>;
			firstAt: number;
			lastAt: number;
			/** When each socket's join was answered (wall clock), and its connection attempts that failed. */
			joinedAt: number[];
			connectErrors: number;
	  }
	| {
			kind: 'collected';
			/** postId → receipt times of its `created` event, one per socket that got it. */
			receipts: Record<number, number[]>;
			/** Size in bytes of the first post event's JSON (the floor broadcasts this much). */
			eventBytes: number;
			/** Post events shaped for a signed-in member (they may report it): proves the cookies worked. */
			memberShaped: number;
			createdEvents: number;
			disconnects: number;
			lagP99Ms: number;
			lagMaxMs: number;
	  };

const now = () => performance.timeOrigin + performance.now();
const send = (report: ClientReport) => process.send!(report);

let sockets: Socket[] = [];
let receipts = new Map<number, number[]>();
let eventBytes = 0;
let memberShaped = 0;
let createdEvents = 0;
let disconnects = 0;
const lag = monitorEventLoopDelay({ resolution: 10 });

function onPost(event: { change?: string; post?: { id?: number; can?: { report?: boolean } } }) {
	const at = now();
	if (event.change !== 'created' || typeof event.post?.id !== 'number') return;
	createdEvents += 1;
	if (event.post.can?.report) memberShaped += 1;
	if (!eventBytes) eventBytes = Buffer.byteLength(JSON.stringify(event));
	const list = receipts.get(event.post.id);
	if (list) list.push(at);
	else receipts.set(event.post.id, [at]);
}

async function connectAll(command: Extract<ClientCommand, { cmd: 'connect' }>) {
	receipts = new Map();
	disconnects = 0;
	eventBytes = 0;
	memberShaped = 0;
	createdEvents = 0;
	lag.reset();
	lag.enable();
	const errors: Record<string, number> = {};
	let joined = 0;
	let failed = 0;
	let firstAt = 0;
	let lastAt = 0;
	const joinedAt: number[] = [];
	let connectErrors = 0;
	const fail = (why: string) => {
		failed += 1;
		errors[why] = (errors[why] ?? 0) + 1;
	};
	await Promise.all(
		command.cookies.map(
			(cookie, index) =>
				new Promise<void>((resolve) => {
					const socket = io(command.url, {
						transports: ['websocket', 'polling'],
						tryAllTransports: true,
						extraHeaders: cookie ? { cookie } : {},
						reconnection: true,
						forceNew: true
					});
					sockets.push(socket);
					socket.on('post', onPost);
					socket.on('connect_error', () => {
						connectErrors += 1;
					});
					socket.on('disconnect', () => {
						disconnects += 1;
					});
					let settled = false;
					const timer = setTimeout(() => {
						if (settled) return;
						settled = true;
						fail('timeout');
						resolve();
					}, command.timeoutMs);
					socket.once('connect', () => {
						socket
							.timeout(command.timeoutMs)
							.emitWithAck('thread:join', { threadId: command.threadIds?.[index] ?? command.threadId, lastPostId: command.lastPostId, since: null })
							.then(
								(reply: { ok: boolean; error?: { code: string } }) => {
									if (settled) return;
									settled = true;
									clearTimeout(timer);
									if (reply?.ok) {
										joined += 1;
										lastAt = now();
										firstAt ||= lastAt;
										joinedAt.push(lastAt);
									} else fail(reply?.error?.code ?? 'refused');
									resolve();
								},
								() => {
									if (settled) return;
									settled = true;
									clearTimeout(timer);
									fail('ack timeout');
									resolve();
								}
							);
					});
				})
		)
	);
	send({ kind: 'joined', joined, failed, errors, firstAt, lastAt, joinedAt, connectErrors });
}

process.on('message', (message: ClientCommand) => {
	switch (message.cmd) {
		case 'connect':
			void connectAll(message);
			break;
		case 'collect':
			lag.disable();
			send({
				kind: 'collected',
				receipts: Object.fromEntries(receipts),
				eventBytes,
				memberShaped,
				createdEvents,
				disconnects,
				lagP99Ms: lag.percentile(99) / 1e6,
				lagMaxMs: lag.max / 1e6
			});
			break;
		case 'close':
			for (const socket of sockets) {
				socket.off('disconnect');
				socket.disconnect();
			}
			sockets = [];
			setTimeout(() => process.exit(0), 100);
			break;
	}
});
process.on('disconnect', () => process.exit(0));
