// netdrop.mjs - the network dropped for 30 s under open terminals, run by
// web.mjs in Chromium on each backend: two tabs open (local, local2), the
// first in front, its shell printing dropmark-XYZ and its $$; then no
// network for 30 s; then the network back. Without anything typed, the
// front tab reattaches its shell by itself (ttyd: its page's terminal,
// cleared here before the drop, shows the mark again, which only a new
// attach's repaint can bring), `echo $$` answers the same
// shell, the tabs are the same and in the same order with the same one
// in front, both sessions are the same rows, still active, never
// beaconed, and heartbeats resume. The time from the network's return to
// the repaint is logged, not asserted. On shellinabox, whose page polls
// again by itself through a drop, also its other dead end: the session's
// `termgate-pty attach` under shellinaboxd killed, its page says
// "Session closed." and offers a Reconnect button; the web client loads
// the page again by itself, and the holder repaints the mark.
//
// How the network is dropped. Chromium's offline emulation (playwright's
// context.setOffline, which is CDP Network.emulateNetworkConditions)
// fails new requests and new WebSockets, but leaves an open WebSocket
// open: checked on Chromium 156, frames still flow both ways while
// "offline". So the page reaches nginx through relay() below, a TCP
// relay in this process, and the drop is both: the context goes offline
// (the page's fetches fail, navigator.onLine is false) and the relay
// destroys every connection it carries and each new one until the
// network is back. The browser sees its connections end (the terminal's
// WebSocket closes uncleanly, shellinabox's pending poll fails), and
// nginx sees its client gone and ends the upstream, as on a real drop.
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import { openLocal, screenOf } from './reload.mjs';

const DROP_MS = 30000;

// A relay from a port of its own to BASE's: { base, drop(), restore(),
// close() }; drop() cuts every connection and refuses new ones until
// restore().
async function relay(base) {
	const to = new URL(base);
	const conns = new Set();
	let down = false;
	const server = net.createServer((c) => {
		if (down) {
			c.destroy();
			return;
		}
		const up = net.connect(Number(to.port), to.hostname);
		const pair = [c, up];
		conns.add(pair);
		const end = () => {
			c.destroy();
			up.destroy();
			conns.delete(pair);
		};
		c.on('error', end).on('close', end);
		up.on('error', end).on('close', end);
		c.pipe(up);
		up.pipe(c);
	});
	await new Promise((r) => server.listen(0, '127.0.0.1', r));
	return {
		base: `http://127.0.0.1:${server.address().port}`,
		drop() {
			down = true;
			for (const [c, up] of conns) {
				c.destroy();
				up.destroy();
			}
			conns.clear();
		},
		restore() {
			down = false;
		},
		close() {
			this.drop();
			server.close();
		},
	};
}

const tabOrder = (page) => page.$$eval('#tabs [role=tab]', (tabs) =>
    tabs.map((t) => t.textContent + (t.getAttribute('aria-selected') ===
    'true' ? '*' : '')).join(' '));

export async function netdropTests(browser, base, user, { ok, sql, until }) {
	const r = await relay(base);
	const ctx = await browser.newContext({
	    extraHTTPHeaders: { 'X-Test-User': user },
	    viewport: { width: 1024, height: 700 } });
	let ttyd = true;
	try {
		ttyd = await dropCase(ctx, r.base, user, { ok, sql, until });
	} finally {
		await ctx.close();
		r.close();
	}
	if (!ttyd)
		await closedCase(browser, base, user + '-closed',
		    { ok, sql, until });

	async function dropCase(ctx, base, user, { ok, sql, until }) {
		const page = await ctx.newPage();
		await page.goto(base + '/');
		const open = async (host) => {
			await page.getByRole('button', { name: 'Open a ' +
			    'terminal on ' + host, exact: true }).click();
			const sid = await until(() => sql(`SELECT count(*) FROM
			    termgate.sessions WHERE username = '${user}' AND
			    host_id = '${host}' AND status = 'active'`) === '1',
			    10000) ? sql(`SELECT id FROM termgate.sessions WHERE
			    username = '${user}' AND host_id = '${host}' AND
			    status = 'active'`) : '';
			const iframe = await page.waitForSelector(
			    `.terminal[data-session="${sid}"] iframe.t-frame`,
			    { timeout: 60000 });
			const frame = await iframe.contentFrame();
			const screen = () => screenOf(frame).catch(() => '');
			await until(async () => /[#$] *$/m.test(await screen()),
			    10000);
			return { sid, iframe, frame, screen };
		};
		const t1 = await open('local');
		await t1.iframe.click();
		await page.keyboard.type('echo dropmark-X""YZ pid1=$$\n',
		    { delay: 10 });
		ok('netdrop: the terminal shows dropmark-XYZ', await until(
		    async () => /dropmark-XYZ pid1=\d+/.test(await t1.screen()),
		    10000), (await t1.screen()).slice(-200));
		const pid1 = /dropmark-XYZ pid1=(\d+)/.exec(
		    await t1.screen())?.[1];
		const t2 = await open('local2');
		await page.getByRole('tab', { name: 'local', exact: true })
		    .click();
		const tabs = await tabOrder(page);
		ok('netdrop: two tabs, the first in front',
		    tabs === 'local* local2', tabs);

		// ttyd: what its page shows goes, so that only a new attach's
		// repaint can show the mark again. (shellinabox's page may go
		// on polling the same session of its daemon, which then never
		// repaints: its screen is left as it is.)
		const ttyd = await t1.frame.evaluate(() => !!window.term);
		for (const t of ttyd ? [t1, t2] : [])
			await t.frame.evaluate(() => window.term.reset());

		// The drop. (The 30 s are the case itself, not a wait for
		// something.)
		const mark = sql('SELECT now()');
		await ctx.setOffline(true);
		r.drop();
		await new Promise((res) => setTimeout(res, DROP_MS));
		ok('netdrop: the sessions outlive 30 s without the network',
		    sql(`SELECT string_agg(status, ' ') FROM termgate.sessions
		    WHERE id IN ('${t1.sid}', '${t2.sid}')`) ===
		    'active active');
		r.restore();
		await ctx.setOffline(false);
		const back = Date.now();

		ok('netdrop: back, the front terminal shows the mark by ' +
		    'itself', await until(async () =>
		    /dropmark-XYZ pid1=\d+/.test(await t1.screen()), 10000),
		    (await t1.screen()).slice(-200));
		console.log(`# netdrop: ${ttyd ? 'repainted' : 'showing'} ` +
		    `${Date.now() - back} ms after the network came back`);
		await t1.iframe.click();
		await page.keyboard.type('echo droppid""2=$$\n', { delay: 10 });
		ok('netdrop: ... and types into the same shell ($$)',
		    await until(async () => new RegExp(`droppid2=${pid1}\\b`)
		    .test(await t1.screen()), 10000),
		    (await t1.screen()).slice(-200));
		ok('netdrop: the same tabs in the same order, the same in ' +
		    'front', await tabOrder(page) === tabs, await tabOrder(page));
		await page.getByRole('tab', { name: 'local2', exact: true })
		    .click();
		await until(async () => /[#$] *$/m.test(await t2.screen()),
		    10000);
		await t2.iframe.click();
		await page.keyboard.type('echo droptwo""-ok\n', { delay: 10 });
		ok('netdrop: the second tab is reattached too', await until(
		    async () => /droptwo-ok/.test(await t2.screen()), 10000),
		    (await t2.screen()).slice(-200));
		ok('netdrop: the same sessions, heartbeated again, no beacon',
		    await until(() => sql(`SELECT count(*) FROM
		    termgate.sessions s WHERE id IN ('${t1.sid}', '${t2.sid}')
		    AND status = 'active' AND client_lost_at IS NULL AND
		    last_seen_at > '${mark}'::timestamptz + interval '30 s'
		    AND NOT EXISTS (SELECT 1 FROM termgate.session_events e
		    WHERE e.session_id = s.id AND e.kind = 'heartbeat_lost')`)
		    === '2', 10000));
		sql(`SELECT termgate.end_session(id, 'user_close') FROM
		    termgate.sessions WHERE username = '${user}' AND status IN
		    ('starting', 'active')`);
		return ttyd;
	}
}

// shellinabox: the session's attach killed under its page.
async function closedCase(browser, base, user, { ok, sql, until }) {
	const { ctx, page, frame, screen } = await openLocal(browser, base,
	    user, until);
	/* when the frame's next document is made (the web client loads the
	 * page again at once on "Session closed.", which can come and go
	 * between two looks) */
	await ctx.addInitScript(() => {
		window.tgLoadedAt = Date.now();
	});
	await page.keyboard.type('echo siamark-X""YZ\n', { delay: 10 });
	ok('netdrop: shellinabox shows siamark-XYZ', await until(
	    async () => /siamark-XYZ/.test(await screen()), 10000),
	    (await screen()).slice(-200));
	const sid = sql(`SELECT id FROM termgate.sessions WHERE username =
	    '${user}' AND status = 'active'`);
	const pids = execFileSync('pgrep', ['-f',
	    `^termgate-pty attach .*${sid}`]).toString().trim().split('\n');
	ok('netdrop: one attach of the session under shellinaboxd',
	    pids.length === 1, pids.join(' '));
	const t0 = Date.now();
	process.kill(Number(pids[0]), 'SIGKILL');
	ok('netdrop: its attach killed, the page says "Session closed." ' +
	    '(or has already been loaded again)', await until(async () =>
	    /Session closed/.test(await screen()) || await frame.evaluate(
	    () => window.tgLoadedAt).catch(() => undefined) !== undefined,
	    10000), (await screen()).slice(-200));
	ok('netdrop: ... and is loaded again, repainted, by itself',
	    await until(async () => {
		const s = await screen();
		return !/Session closed/.test(s) && /siamark-XYZ/.test(s);
	    }, 10000), (await screen()).slice(-200));
	console.log(`# netdrop: shellinabox repainted ${Date.now() - t0} ms ` +
	    'after its attach was killed');
	ok('netdrop: ... the same session, still active', sql(`SELECT status
	    FROM termgate.sessions WHERE id = '${sid}'`) === 'active');
	sql(`SELECT termgate.end_session('${sid}', 'user_close')`);
	await ctx.close();
}
