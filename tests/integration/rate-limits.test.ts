/**
 * Rate limits end to end through the handle: every kind reached with lowered limits, the 429 answers
 * (API, enhanced form, plain form) with Retry-After, users and addresses counted apart, the count
 * shared by two instances on one PostgreSQL, and requests still answered when PostgreSQL is gone.
 */
import type { RequestEvent } from '@sveltejs/kit';
import * as devalue from 'devalue';
import net from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GUEST, type Actor } from '../../src/lib/server/policy';
import { rateLimitHandle } from '../../src/lib/server/rate-limit/handle';
import { createRateLimiter, socketEventLimiter, type RateLimiter } from '../../src/lib/server/rate-limit/limiter';
import { LIMIT_KIND_NAMES, parseRateLimits, type LimitKind } from '../../src/lib/server/rate-limit/limits';
import { openTestDatabase, targets, type TestDatabase } from './database';

let nextId = 1;
const member = (): Actor => ({ kind: 'user', id: 900_000 + nextId++, role: 'participant', organisationId: 1 });
const address = () => `198.51.100.${nextId++ % 250}`;

interface Call {
	method?: string;
	path: string;
	routeId: string | null;
	actor?: Actor;
	ip?: string;
	headers?: Record<string, string>;
	body?: string;
	locale?: 'sv' | 'en';
}

function fakeEvent(call: Call): RequestEvent {
	const url = new URL(call.path, 'http://localhost');
	const request = new Request(url, { method: call.method ?? 'POST', headers: call.headers, body: call.body });
	return {
		request,
		url,
		route: { id: call.routeId },
		locals: { actor: call.actor ?? GUEST, locale: call.locale ?? 'sv', user: null, session: null },
		getClientAddress: () => call.ip ?? '192.0.2.1',
		cookies: { get: () => undefined }
	} as unknown as RequestEvent;
}

/** Runs the handle; the route itself answers 200 "done". */
async function send(limiter: RateLimiter, call: Call): Promise<Response> {
	const handle = rateLimitHandle(() => limiter);
	return handle({ event: fakeEvent(call), resolve: async () => new Response('done') });
}

async function statuses(limiter: RateLimiter, call: () => Call, times: number): Promise<number[]> {
	const answers: number[] = [];
	for (let i = 0; i < times; i++) answers.push((await send(limiter, call())).status);
	return answers;
}

/** Every kind at two per minute, the shared address budget out of the way unless asked for. */
const lowered = (extra = '') =>
	parseRateLimits(
		[...LIMIT_KIND_NAMES.filter((kind) => kind !== 'ip' && !extra.includes(`${kind}=`)).map((kind) => `${kind}=2/60`), extra || 'ip=1000/60'].join(',')
	);

describe.each(targets)('rate limits on %s', (target) => {
	let t: TestDatabase;
	beforeAll(async () => {
		t = await openTestDatabase(target);
	});
	afterAll(() => t.close());

	const limiterFor = (text?: string, pool = t.pool) => createRateLimiter({ config: text ? parseRateLimits(text) : lowered(), pool });

	it('keeps its counts in PostgreSQL when there is a pool, in memory on the embedded database', async () => {
		const limiter = await createRateLimiter({ config: lowered(), pool: t.pool });
		expect(limiter.store).toBe(target === 'postgres' ? 'postgres' : 'memory');
		const user = member();
		await send(limiter, { path: '/t/1?/reply', routeId: '/t/[ref=ref]', actor: user });
		if (target === 'postgres') {
			const { rows } = await t.pool!.query<{ key: string; points: number }>('select key, points from rate_limits where key like $1', [
				`%user:${user.kind === 'user' ? user.id : 0}`
			]);
			expect(rows.map((row) => row.key).sort()).toEqual([`post.60:user:${user.kind === 'user' ? user.id : 0}`]);
			expect(rows[0]!.points).toBe(1);
		}
	});

	// One representative request per kind; the third within the minute is refused.
	const requests: Record<Exclude<LimitKind, 'socket' | 'ip'>, (actor: Actor, ip: string) => Call> = {
		post: (actor, ip) => ({ path: '/t/5-larmkedjor?/reply', routeId: '/t/[ref=ref]', actor, ip }),
		thread: (actor, ip) => ({ path: '/api/v1/threads', routeId: '/api/v1/threads', actor, ip }),
		edit: (actor, ip) => ({ method: 'PATCH', path: '/api/v1/posts/9', routeId: '/api/v1/posts/[id=id]', actor, ip }),
		react: (actor, ip) => ({ path: '/t/5?/react', routeId: '/t/[ref=ref]', actor, ip }),
		nominate: (actor, ip) => ({ path: '/t/5?/nominate', routeId: '/t/[ref=ref]', actor, ip }),
		report: (actor, ip) => ({ path: '/t/5?/report', routeId: '/t/[ref=ref]', actor, ip }),
		apply: (_actor, ip) => ({ path: '/apply', routeId: '/apply', ip }),
		invite: (actor, ip) => ({ path: '/admin/invitations?/create', routeId: '/admin/invitations', actor, ip }),
		write: (actor, ip) => ({ path: '/settings?/profile', routeId: '/settings', actor, ip }),
		api: (actor, ip) => ({ method: 'GET', path: '/api/v1/threads', routeId: '/api/v1/threads', actor, ip }),
		search: (actor, ip) => ({ method: 'GET', path: '/search?q=larm', routeId: '/search', actor, ip })
	};

	it.each(Object.keys(requests) as (keyof typeof requests)[])('%s: the third in a minute is refused with 429 and Retry-After', async (kind) => {
		const limiter = await limiterFor();
		const actor = member();
		const ip = address();
		expect(await statuses(limiter, () => requests[kind](actor, ip), 3)).toEqual([200, 200, 429]);
		const refused = await send(limiter, requests[kind](actor, ip));
		expect(refused.status).toBe(429);
		const retryAfter = Number(refused.headers.get('Retry-After'));
		expect(retryAfter).toBeGreaterThanOrEqual(1);
		expect(retryAfter).toBeLessThanOrEqual(60);
	});

	it('each kind counts only itself: a full reply budget leaves reactions and new threads open', async () => {
		const limiter = await limiterFor();
		const actor = member();
		const ip = address();
		await statuses(limiter, () => requests.post(actor, ip), 3);
		expect(await statuses(limiter, () => requests.react(actor, ip), 1)).toEqual([200]);
		expect(await statuses(limiter, () => requests.thread(actor, ip), 1)).toEqual([200]);
	});

	it('the second window holds too: 120 an hour after 10 a minute', async () => {
		const limiter = await limiterFor('post=10/60+12/3600,ip=1000/60');
		const actor = member();
		expect(await statuses(limiter, () => requests.post(actor, '192.0.2.9'), 11)).toEqual([...Array(10).fill(200), 429]);
		// The minute window cannot be waited out in a test; a second limiter with the same store
		// would be a second process. Enough to see the hour window named in Retry-After:
		const limiterHour = await limiterFor('post=100/60+3/3600,ip=1000/60');
		const other = member();
		const answers = [];
		for (let i = 0; i < 4; i++) answers.push(await send(limiterHour, requests.post(other, '192.0.2.9')));
		expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 429]);
		expect(Number(answers[3]!.headers.get('Retry-After'))).toBeGreaterThan(3500);
	});

	it('members are counted per user, whatever their address; guests per address', async () => {
		const limiter = await limiterFor();
		const anna = member();
		const bo = member();
		const office = address();
		// Two colleagues behind one gateway each have their own reply budget.
		expect(await statuses(limiter, () => requests.post(anna, office), 2)).toEqual([200, 200]);
		expect(await statuses(limiter, () => requests.post(bo, office), 2)).toEqual([200, 200]);
		// Changing address does not give a member a new budget.
		expect(await statuses(limiter, () => requests.post(anna, address()), 1)).toEqual([429]);
		// Guests: the address is the budget.
		const guestIp = address();
		expect(await statuses(limiter, () => requests.apply(GUEST, guestIp), 3)).toEqual([200, 200, 429]);
		expect(await statuses(limiter, () => requests.apply(GUEST, address()), 1)).toEqual([200]);
		// A signed-in applicant still counts against the address: applications are per address.
		expect(await statuses(limiter, () => requests.apply(member(), guestIp), 1)).toEqual([429]);
	});

	it('IPv6 addresses are counted per /64, IPv4-mapped ones as IPv4', async () => {
		const limiter = await limiterFor();
		expect(await statuses(limiter, () => requests.apply(GUEST, '2001:db8:1:2::a'), 2)).toEqual([200, 200]);
		expect(await statuses(limiter, () => requests.apply(GUEST, '2001:0db8:0001:0002:ffff:0:0:b'), 1)).toEqual([429]);
		expect(await statuses(limiter, () => requests.apply(GUEST, '2001:db8:1:3::a'), 1)).toEqual([200]);
		expect(await statuses(limiter, () => requests.apply(GUEST, '203.0.113.77'), 2)).toEqual([200, 200]);
		expect(await statuses(limiter, () => requests.apply(GUEST, '::ffff:203.0.113.77'), 1)).toEqual([429]);
	});

	it('one address has a shared budget over all its users and kinds', async () => {
		const limiter = await limiterFor('ip=5/60');
		const gateway = address();
		const answers = [
			...(await statuses(limiter, () => requests.post(member(), gateway), 2)),
			...(await statuses(limiter, () => requests.react(member(), gateway), 2)),
			...(await statuses(limiter, () => requests.api(GUEST, gateway), 2))
		];
		expect(answers).toEqual([200, 200, 200, 200, 200, 429]);
		expect(await statuses(limiter, () => requests.post(member(), address()), 1)).toEqual([200]);
	});

	it('twenty requests at once get exactly the budget, no more', async () => {
		const limiter = await limiterFor();
		const actor = member();
		const ip = address();
		const answers = await Promise.all(Array.from({ length: 20 }, () => send(limiter, requests.post(actor, ip))));
		const counted = answers.map((answer) => answer.status).sort();
		expect(counted).toEqual([200, 200, ...Array(18).fill(429)]);
	});

	it('a kind named twice in one request counts twice, in one count', async () => {
		const limiter = await limiterFor();
		const key = `user:${nextId++}`;
		expect(await limiter.consume([{ kind: 'post', key }, { kind: 'post', key }])).toEqual({ ok: true });
		const third = await limiter.consume([{ kind: 'post', key }]);
		expect(third.ok).toBe(false);
	});

	it.runIf(target === 'postgres')('one statement counts every kind and window of a request', async () => {
		let queries = 0;
		const pool = t.pool!;
		// The pool as the limiter sees it, counting what it is asked.
		const counting = Object.assign(Object.create(pool) as pg.Pool, {
			query: (...args: Parameters<pg.Pool['query']>) => {
				queries += 1;
				return (pool.query as (...a: unknown[]) => unknown)(...args);
			}
		});
		const limiter = await createRateLimiter({ config: parseRateLimits('api=100/60+1000/3600,ip=500/60+5000/3600'), pool: counting });
		const ip = address();
		queries = 0;
		expect((await send(limiter, requests.api(GUEST, ip))).status).toBe(200);
		expect(queries).toBe(1);
		const { rows } = await pool.query<{ key: string; points: number }>('select key, points from rate_limits where key like $1 order by key', [
			`%:ip:${ip}`
		]);
		expect(rows).toEqual(
			['api.3600', 'api.60', 'ip.3600', 'ip.60'].map((prefix) => ({ key: `${prefix}:ip:${ip}`, points: 1 }))
		);
	});

	it.runIf(target === 'postgres')('an address of any length a proxy passes on is counted in PostgreSQL, under its digest', async () => {
		const limiter = await limiterFor();
		const forged = `${'203.0.113.9,'.repeat(100)}x`;
		expect(await statuses(limiter, () => requests.apply(GUEST, forged), 3)).toEqual([200, 200, 429]);
		const { rows } = await t.pool!.query<{ key: string; points: number }>("select key, points from rate_limits where key like '%:sha256:%' order by key");
		// The application budget and the address's shared one, each counted three times.
		expect(rows.map((row) => [row.key.split(':')[0], row.points])).toEqual([
			['apply.60', 3],
			['ip.60', 3]
		]);
		expect(rows.every((row) => row.key.length < 255)).toBe(true);
	});

	it.runIf(target === 'postgres')('prepares its statement only when prepared statements are on, and counts on when the server lost it', async () => {
		// One connection, so that the test's own statements see what the limiter left on it.
		const pool = new pg.Pool({ connectionString: t.url, max: 1 });
		try {
			const prepared = async () => (await pool.query<{ name: string }>('select name from pg_prepared_statements')).rows.map((row) => row.name);
			const off = await createRateLimiter({ config: lowered(), pool, preparedStatements: false });
			expect(await statuses(off, () => requests.apply(GUEST, '192.0.2.20'), 1)).toEqual([200]);
			expect(await prepared()).toEqual([]);

			const on = await createRateLimiter({ config: lowered(), pool });
			const ip = address();
			expect(await statuses(on, () => requests.apply(GUEST, ip), 1)).toEqual([200]);
			expect(await prepared()).toEqual(['kt_rate_limits_rate_limits']);
			// What a pooler in transaction mode, or DISCARD ALL, does to the connection behind pg's back.
			await pool.query('deallocate all');
			expect(await statuses(on, () => requests.apply(GUEST, ip), 2)).toEqual([200, 429]);
			const { rows } = await pool.query<{ points: number }>('select points from rate_limits where key = $1', [`apply.60:ip:${ip}`]);
			expect(rows[0]!.points).toBe(3);
		} finally {
			await pool.end();
		}
	});

	it.runIf(target === 'postgres')('a window that has ended starts again, and Retry-After is the time its row has left', async () => {
		const limiter = await limiterFor();
		const actor = member();
		const ip = address();
		const key = `post.60:user:${actor.kind === 'user' ? actor.id : 0}`;
		expect(await statuses(limiter, () => requests.post(actor, ip), 3)).toEqual([200, 200, 429]);
		// Another instance's count, whose window ends in 20 s.
		await t.pool!.query('update rate_limits set expire = $2 where key = $1', [key, Date.now() + 20_000]);
		const refused = await send(limiter, requests.post(actor, ip));
		expect(refused.status).toBe(429);
		expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThanOrEqual(19);
		expect(Number(refused.headers.get('Retry-After'))).toBeLessThanOrEqual(20);
		// The window ended: the count starts from this request.
		await t.pool!.query('update rate_limits set expire = $2 where key = $1', [key, Date.now() - 1]);
		expect(await statuses(limiter, () => requests.post(actor, ip), 3)).toEqual([200, 200, 429]);
		const { rows } = await t.pool!.query<{ points: number }>('select points from rate_limits where key = $1', [key]);
		expect(rows[0]!.points).toBe(3);
	});

	it('reading pages and feeds is never limited', async () => {
		const limiter = await limiterFor('ip=1/60,api=1/60,write=1/60');
		const ip = address();
		const reads = await statuses(limiter, () => ({ method: 'GET', path: '/t/5', routeId: '/t/[ref=ref]', ip }), 5);
		const feeds = await statuses(limiter, () => ({ method: 'GET', path: '/feed.xml', routeId: '/feed.xml', ip }), 5);
		expect([...reads, ...feeds]).toEqual(Array(10).fill(200));
	});

	it('answers the API with problem+json, in the language of the request', async () => {
		const limiter = await limiterFor();
		const actor = member();
		await statuses(limiter, () => requests.thread(actor, '192.0.2.5'), 2);
		const refused = await send(limiter, requests.thread(actor, '192.0.2.5'));
		expect(refused.status).toBe(429);
		expect(refused.headers.get('Content-Type')).toMatch(/^application\/problem\+json/);
		const body = await refused.json();
		expect(body).toMatchObject({ status: 429, title: 'Too Many Requests', code: 'rate_limited' });
		expect(body.detail).toMatch(/^Du har gjort det här för många gånger på kort tid\. Försök igen om \d+ sekunder\.$/);
		const english = await send(limiter, { ...requests.thread(actor, '192.0.2.5'), locale: 'en' });
		expect((await english.json()).detail).toMatch(/^You have done this too many times in a short while\. Try again in \d+ seconds\.$/);
	});

	it('answers an enhanced form with a failure the page shows, keeping what was typed but no password', async () => {
		const limiter = await limiterFor();
		const actor = member();
		const call = (): Call => ({
			...requests.post(actor, '192.0.2.6'),
			headers: { 'x-sveltekit-action': 'true', accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ body: 'Mitt långa svar', password: 'hemligt' }).toString()
		});
		await statuses(limiter, call, 2);
		const refused = await send(limiter, call());
		expect(refused.status).toBe(429);
		expect(refused.headers.get('Retry-After')).toMatch(/^\d+$/);
		const result = await refused.json();
		expect(result).toMatchObject({ type: 'failure', status: 429 });
		const data = devalue.parse(result.data);
		expect(data.message).toMatch(/^Du har gjort det här för många gånger/);
		expect(data.values).toEqual({ body: 'Mitt långa svar' });
		expect(data.errors).toEqual({});
	});

	it('answers a plain form post with a page in the reader’s language and a way back', async () => {
		const limiter = await limiterFor();
		const actor = member();
		const call = (): Call => ({ ...requests.report(actor, '192.0.2.7'), headers: { accept: 'text/html' }, locale: 'en' });
		await statuses(limiter, call, 2);
		const refused = await send(limiter, call());
		expect(refused.status).toBe(429);
		expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0);
		expect(refused.headers.get('Content-Type')).toMatch(/^text\/html/);
		const page = await refused.text();
		expect(page).toContain('<html lang="en">');
		expect(page).toContain('<h1>Too many attempts</h1>');
		expect(page).toMatch(/Try again in \d+ seconds\./);
		expect(page).toContain('<a href="/t/5">Back to the page</a>');
	});

	it('speaks in minutes when the wait is long', async () => {
		const limiter = await limiterFor('apply=1/1h');
		const ip = address();
		await send(limiter, requests.apply(GUEST, ip));
		const refused = await send(limiter, { ...requests.apply(GUEST, ip), headers: { accept: 'application/json' } });
		expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(3500);
		expect((await refused.json()).detail).toMatch(/Försök igen om (59|60) minuter\./);
	});

	it('a socket over its event budget is told, and told to go when it keeps on', async () => {
		const sockets = socketEventLimiter(parseRateLimits('socket=5/10'), { excessBeforeDisconnect: 3 });
		const verdicts = [];
		for (let i = 0; i < 9; i++) verdicts.push(await sockets.consume('socket-a'));
		expect(verdicts.slice(0, 5)).toEqual(Array(5).fill({ ok: true }));
		expect(verdicts.slice(5, 8).map((v) => (v.ok ? 'ok' : v.disconnect ? 'go' : 'told'))).toEqual(['told', 'told', 'told']);
		expect(verdicts[8]).toMatchObject({ ok: false, disconnect: true });
		expect(verdicts[5]!.ok ? 0 : verdicts[5]!.retryAfterMs).toBeGreaterThan(0);
		// Another connection has its own budget.
		expect(await sockets.consume('socket-b')).toEqual({ ok: true });
		// Off means off.
		const unlimited = socketEventLimiter(parseRateLimits('socket=off'));
		for (let i = 0; i < 100; i++) expect(await unlimited.consume('socket-c')).toEqual({ ok: true });
	});

	it('a kind that is off is not counted', async () => {
		const limiter = await limiterFor('post=off,ip=1000/60');
		const actor = member();
		expect(await statuses(limiter, () => requests.post(actor, '192.0.2.8'), 30)).toEqual(Array(30).fill(200));
	});

	it.runIf(target === 'postgres')('two instances on one PostgreSQL share the count', async () => {
		const pools = [0, 1].map(() => new pg.Pool({ connectionString: t.url, max: 2 }));
		try {
			const [a, b] = await Promise.all(pools.map((pool) => limiterFor(undefined, pool)));
			const actor = member();
			expect(await statuses(a!, () => requests.post(actor, '192.0.2.10'), 2)).toEqual([200, 200]);
			expect(await statuses(b!, () => requests.post(actor, '192.0.2.11'), 1)).toEqual([429]);
			const guestIp = address();
			expect(await statuses(b!, () => requests.apply(GUEST, guestIp), 1)).toEqual([200]);
			expect(await statuses(a!, () => requests.apply(GUEST, guestIp), 2)).toEqual([200, 429]);
		} finally {
			await Promise.all(pools.map((pool) => pool.end()));
		}
	});

	it.runIf(target === 'postgres')('when PostgreSQL is gone, requests are still answered and still limited, in memory', async () => {
		const pool = new pg.Pool({ connectionString: t.url, max: 2 });
		pool.on('error', () => {});
		const limiter = await limiterFor(undefined, pool);
		const actor = member();
		expect(await statuses(limiter, () => requests.post(actor, '192.0.2.12'), 1)).toEqual([200]);
		await pool.end();
		// The store now rejects every query; the in-memory insurance counts from zero.
		expect(await statuses(limiter, () => requests.post(actor, '192.0.2.12'), 3)).toEqual([200, 200, 429]);
	});

	it.runIf(target === 'postgres')('a database that never answers costs at most the store timeout', async () => {
		// Accepts connections and says nothing, like a server behind a dropped network link.
		const silent = net.createServer(() => {});
		const open = new Set<net.Socket>();
		silent.on('connection', (socket) => {
			open.add(socket);
			socket.on('close', () => open.delete(socket));
		});
		await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
		const port = (silent.address() as net.AddressInfo).port;
		const pool = new pg.Pool({ connectionString: `postgres://postgres@127.0.0.1:${port}/test`, max: 2 });
		pool.on('error', () => {});
		try {
			const started = Date.now();
			const limiter = await createRateLimiter({ config: lowered(), pool, storeTimeoutMs: 200 });
			const actor = member();
			expect(await statuses(limiter, () => requests.post(actor, '192.0.2.13'), 3)).toEqual([200, 200, 429]);
			expect(Date.now() - started).toBeLessThan(5_000);
		} finally {
			for (const socket of open) socket.destroy();
			await new Promise((resolve) => silent.close(resolve));
			await pool.end().catch(() => {});
		}
	});

	it.runIf(target === 'postgres')('a database that refuses connections from the start', async () => {
		const pool = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:1/none', max: 1 });
		pool.on('error', () => {});
		try {
			const limiter = await createRateLimiter({ config: lowered(), pool });
			expect(limiter.store).toBe('postgres');
			const actor = member();
			expect(await statuses(limiter, () => requests.post(actor, '192.0.2.14'), 3)).toEqual([200, 200, 429]);
		} finally {
			await pool.end().catch(() => {});
		}
	});
});
