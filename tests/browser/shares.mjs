// shares.mjs - sharing a terminal, in Chromium on the real ttyd (per
// session, and with TG_GATEWAY the gateway), run by web.mjs: an admin
// watches a user's terminal and sees what the user types; what the
// watcher types never reaches the shell (asked of the shell itself once
// the watch is over, and of the file system); the user's tab says
// "watched by admin", then no more; an admin's join types a command into
// the shell, which is recorded; a share link made in the user's page
// opens in a second user's page, and its open connection closes within
// a second of its revocation in the user's page; an expired link and a
// link for other users are refused. Screenshots in build/tests/browser/.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { openLocal, screenOf } from './reload.mjs';

// In every frame of a page: when its WebSocket closed (window.tgWsClosed,
// ms since the epoch, on the one clock the test reads too).
function wsSpy() {
	const W = window.WebSocket;
	window.WebSocket = class extends W {
		constructor(...args) {
			super(...args);
			this.addEventListener('close', () => {
				window.tgWsClosed = Date.now();
			});
		}
	};
}

// A browser context of USER, its pages spied on.
async function userContext(browser, user) {
	const ctx = await browser.newContext({
	    extraHTTPHeaders: { 'X-Test-User': user },
	    viewport: { width: 1024, height: 700 } });
	await ctx.addInitScript(wsSpy);
	return ctx;
}

// One API call in CTX (its user, its cookies): { status, body }.
async function call(ctx, base, method, path, body) {
	const r = await ctx.request.fetch(base + '/api/terminal' + path, {
	    method, headers: { 'Content-Type': 'application/json' },
	    data: body === undefined ? undefined : JSON.stringify(body) });
	return { status: r.status(), body: await r.json().catch(() => null) };
}

// The terminal page of URL in a new page of CTX: { page, screen }.
async function terminalPage(ctx, base, url, until) {
	const page = await ctx.newPage();
	await page.goto(base + url);
	const screen = () => screenOf(page.mainFrame()).catch(() => '');
	await until(async () => /[#$] *$/m.test(await screen()), 10000);
	return { page, screen };
}

export async function sharesTests(browser, base, user, { ok, sql, until }) {
	const outdir = (process.env.TG_BUILDDIR || '.') + '/tests/browser';
	mkdirSync(outdir, { recursive: true });
	const shot = (page, name) => page.screenshot({
	    path: `${outdir}/${user}-${name}.png` }).catch(() => {});
	const { ctx, page, iframe, screen } = await openLocal(browser, base,
	    user, until);
	const sid = sql(`SELECT id FROM termgate.sessions WHERE username =
	    '${user}' AND status = 'active'`);
	const viewers = page.locator(`#panel-${sid} .t-viewers`);

	// --- an admin watches
	const admin = await userContext(browser, 'admin');
	const w = await call(admin, base, 'POST',
	    `/admin/sessions/${sid}/watch`, { mode: 'view' });
	ok('shares: an admin watches the session', w.status === 200,
	    JSON.stringify(w));
	const watch = await terminalPage(admin, base, w.body.url, until);
	await page.keyboard.type('echo seen-by-X""YZ-$((6*7))\n',
	    { delay: 10 });
	ok('shares: the watcher sees what the user types', await until(
	    async () => (await watch.screen()).includes('seen-by-XYZ-42'),
	    10000), (await watch.screen()).slice(-200));
	ok('shares: the user\'s tab says "watched by admin"', await until(
	    async () => (await viewers.textContent()) === 'watched by admin'
	    && await viewers.isVisible(), 10000), await viewers.textContent());
	await shot(page, 'watched');
	await shot(watch.page, 'watcher');
	const keys = `/tmp/termgate-watcher-keys-${sid.slice(0, 12)}`;
	rmSync(keys, { force: true });
	await watch.page.mouse.click(300, 300);
	await watch.page.keyboard.type(`touch ${keys}\n`, { delay: 10 });
	// Ending the watch closes its connection: from then on nothing the
	// watcher typed can reach the shell, wherever it was on its way.
	const t0 = Date.now();
	const end = await call(admin, base, 'DELETE',
	    `/admin/sessions/${sid}/watch/${w.body.share_id}`);
	ok('shares: the watch is ended', end.status === 200,
	    JSON.stringify(end));
	ok('shares: ... and its connection closes within 1 s', await until(
	    async () => await watch.page.evaluate(() => window.tgWsClosed)
	    .catch(() => null) !== undefined, 10000) &&
	    await watch.page.evaluate(() => window.tgWsClosed) - t0 < 1000,
	    String(await watch.page.evaluate(() => window.tgWsClosed) - t0));
	ok('shares: "watched by admin" goes from the user\'s tab', await until(
	    async () => !(await viewers.isVisible()), 10000),
	    await viewers.textContent());
	await page.keyboard.type(`test -e ${keys} && echo keys-reached || ` +
	    'echo keys-clean-$((2+2))\n', { delay: 10 });
	ok('shares: the watcher\'s keys never reached the shell (the shell ' +
	    'says so)', await until(async () =>
	    /keys-clean-4/.test(await screen()), 10000) &&
	    !/keys-reached\n/.test(await screen()) && !existsSync(keys),
	    (await screen()).slice(-200));

	// --- an admin joins, and types a command that is recorded
	const j = await call(admin, base, 'POST',
	    `/admin/sessions/${sid}/watch`, { mode: 'control' });
	const join = await terminalPage(admin, base, j.body.url, until);
	ok('shares: the user\'s tab says "joined by admin"', await until(
	    async () => (await viewers.textContent()) === 'joined by admin',
	    10000), await viewers.textContent());
	await join.page.mouse.click(300, 300);
	await join.page.keyboard.type('echo joined-X""YZ-$((2+3))\n',
	    { delay: 10 });
	ok('shares: the join types into the shell (the user sees it)',
	    await until(async () => (await screen()).includes('joined-XYZ-5'),
	    10000), (await screen()).slice(-200));
	ok('shares: the joined command is recorded', await until(() =>
	    sql(`SELECT count(*) FROM termgate.command_history WHERE
	    session_id = '${sid}' AND command = 'echo joined-X""YZ-$((2+3))'`)
	    === '1', 10000));
	await shot(join.page, 'joined');
	await call(admin, base, 'DELETE',
	    `/admin/sessions/${sid}/watch/${j.body.share_id}`);

	// --- a share link, made in the page, opened by a second user
	const panel = page.locator(`#panel-${sid}`);
	await panel.locator('.t-share').click();
	await panel.locator('.s-create').click();
	const link = panel.locator('.s-link');
	await until(async () => /#share=/.test(await link.inputValue()), 10000);
	const url = await link.inputValue();
	ok('shares: the page makes a read-only link', /#share=[0-9a-f]{64}\./
	    .test(url), url);
	const peer = await userContext(browser, user + '-peer');
	const ppage = await peer.newPage();
	await ppage.goto(url);
	const piframe = await ppage.waitForSelector('iframe.t-frame',
	    { timeout: 60000 });
	const pframe = await piframe.contentFrame();
	const pscreen = () => screenOf(pframe).catch(() => '');
	await until(async () => /[#$] *$/m.test(await pscreen()), 10000);
	await iframe.click();	/* the keys to the terminal, not the form */
	await page.keyboard.type('echo for-the-X""YZ-peer\n', { delay: 10 });
	ok('shares: the link opens the terminal for a second user',
	    await until(async () => (await pscreen()).includes('for-the-XYZ-peer'),
	    10000), (await pscreen()).slice(-200));
	await shot(ppage, 'peer');
	ok('shares: the user\'s page lists who used the link', await until(
	    async () => {
		await panel.locator('.t-share').click();
		await panel.locator('.t-share').click();
		return (await panel.locator('.s-list').textContent())
		    .includes('used by ' + user + '-peer');
	    }, 10000), await panel.locator('.s-list').textContent());
	const t1 = Date.now();
	await panel.getByRole('button', { name: 'Revoke the share link' })
	    .click();
	const closed = () => pframe.evaluate(() => window.tgWsClosed)
	    .catch(() => undefined);
	ok('shares: revoked in the page, the second user\'s connection ' +
	    'closes within 1 s', await until(async () => await closed() !==
	    undefined, 10000) && await closed() - t1 < 1000,
	    String(await closed() - t1));
	await shot(ppage, 'revoked');

	// --- refused: an expired link, a link for other users
	const opened = async (token) => {
		const p = await peer.newPage();
		await p.goto(base + '/#share=' + token);
		await until(async () => await p.locator('#error')
		    .isVisible(), 10000);
		return p;
	};
	const e = await call(ctx, base, 'POST', `/sessions/${sid}/shares`,
	    { ttl_seconds: 600 });
	sql(`UPDATE termgate.shares SET expires_at = now() - interval '1 s'
	    WHERE id = '${e.body.share_id}'`);
	const ep = await opened(e.body.token);
	ok('shares: an expired link is refused', /expired/.test(
	    await ep.locator('#error-text').textContent()),
	    await ep.locator('#error-text').textContent());
	ok('shares: ... and opens no terminal',
	    await ep.locator('iframe.t-frame').count() === 0);
	await shot(ep, 'expired');
	const n = await call(ctx, base, 'POST', `/sessions/${sid}/shares`,
	    { users: [user + '-someone'] });
	const np = await opened(n.body.token);
	ok('shares: a link for other users is refused', /other users/.test(
	    await np.locator('#error-text').textContent()),
	    await np.locator('#error-text').textContent());
	ok('shares: ... and opens no terminal',
	    await np.locator('iframe.t-frame').count() === 0);
	ok('shares: every step is an event', sql(`SELECT string_agg(DISTINCT
	    kind, ' ' ORDER BY kind) FROM termgate.session_events WHERE
	    session_id = '${sid}' AND kind IN ('share_created', 'share_used',
	    'share_revoked', 'watch_started', 'join_started',
	    'viewer_left')`) === 'join_started share_created share_revoked ' +
	    'share_used viewer_left watch_started');
	await Promise.all([peer.close(), admin.close(), ctx.close()]);
}
