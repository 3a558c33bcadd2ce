const base = process.env.BASE;
const t0 = Date.now();
while (true) { try { const r = await fetch(`${base}/healthz`); if (r.ok) break; } catch {} await new Promise(r => setTimeout(r, 50)); }
console.log('healthz after', Date.now() - t0); while ((await fetch(base + '/readyz')).status !== 200) await new Promise(r => setTimeout(r, 50)); console.log('readyz after', Date.now() - t0);
const signIn = async (email) => { const r = await fetch(`${base}/sign-in`, { method: 'POST', redirect: 'manual', headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ email, password: 'kommuntorget-demo', redirectTo: '/' }) }); return r.headers.getSetCookie().map(c => c.split(';')[0]).join('; '); };
const t1 = Date.now(); const cookie = await signIn('deltagare@kommuntorget.example'); console.log('sign-in', Date.now() - t1);
const t2 = Date.now();
const rs = await Promise.all(Array.from({ length: 20 }, (_, i) => fetch(`${base}/api/v1/threads/1/posts`, { method: 'POST', headers: { cookie, origin: base, 'content-type': 'application/json' }, body: JSON.stringify({ body: `cold ${i}` }) }).then(async r => [r.status, Date.now() - t2])));
console.log('20 writes', rs.map(r => r.join(':')).join(' '));
