// reload.mjs - a reloaded terminal shows what it showed before
// (termgate-pty), run by web.mjs in Chromium on each backend: a terminal
// opened in the web client runs `echo marker-XYZ`; its page (the ttyd or
// shellinabox page in the tab's frame, what a browser reload of a
// terminal reloads) is reloaded; without anything typed the new page's
// terminal shows marker-XYZ, and `echo $$` there answers the same shell
// as before. Then the web client's own page is reloaded: its tab comes
// back on the same shell, with the output that had scrolled off before
// the reload in its scrollback, and the session is not ended by the
// beacon. A screenshot of the reloaded terminal goes to
// $TG_BUILDDIR/tests/browser/ and its path to the log.
import { mkdirSync } from 'node:fs';

// The terminal's text: shellinabox draws it into the page; ttyd's
// xterm.js draws on a canvas, but exposes its buffer as window.term.
export const screenOf = (frame) => frame.evaluate(() => {
	const b = window.term?.buffer?.active;
	if (!b)
		return document.body ? document.body.innerText : '';
	const lines = [];
	for (let i = 0; i < b.length; i++)
		lines.push(b.getLine(i).translateToString(true));
	return lines.join('\n');
});

// USER's web client with a terminal open on local, at its prompt, and
// focused: { ctx, page, iframe, frame, screen }.
export async function openLocal(browser, base, user, until) {
	const ctx = await browser.newContext({
	    extraHTTPHeaders: { 'X-Test-User': user },
	    viewport: { width: 1024, height: 700 } });
	const page = await ctx.newPage();
	await page.goto(base + '/');
	await page.getByRole('button', { name: 'Open a terminal on local',
	    exact: true }).click();
	const iframe = await page.waitForSelector('iframe.t-frame',
	    { timeout: 60000 });
	const frame = await iframe.contentFrame();
	await frame.waitForLoadState();
	const screen = () => screenOf(frame).catch(() => '');
	await until(async () => /[#$] *$/m.test(await screen()), 10000);
	await iframe.click();
	return { ctx, page, iframe, frame, screen };
}

export async function reloadTests(browser, base, user, { ok, sql, until }) {
	const outdir = (process.env.TG_BUILDDIR || '.') + '/tests/browser';
	mkdirSync(outdir, { recursive: true });
	const { ctx, page, iframe, frame, screen } =
	    await openLocal(browser, base, user, until);
	// (typed as marker-X""YZ: the echo of the line alone never matches)
	await page.keyboard.type('echo marker-X""YZ pid1=$$\n', { delay: 10 });
	ok('reload: the terminal shows marker-XYZ', await until(
	    async () => /marker-XYZ pid1=\d+/.test(await screen()), 10000),
	    (await screen()).slice(-200));
	const pid1 = /marker-XYZ pid1=(\d+)/.exec(await screen())?.[1];
	const sid = sql(`SELECT id FROM termgate.sessions WHERE username =
	    '${user}' AND status = 'active'`);

	// The reload: a new document in the frame, a new connection.
	await frame.evaluate(() => { window.tgOld = true; location.reload(); })
	    .catch(() => {});
	ok('reload: the frame holds a new page', await until(async () =>
	    await frame.evaluate(() => window.tgOld === undefined)
	    .catch(() => false), 10000));
	ok('reload: without typing, the terminal shows marker-XYZ again',
	    await until(async () => /marker-XYZ pid1=\d+/.test(await screen()),
	    10000), (await screen()).slice(-200));
	const shot = outdir + `/reload-${user}.png`;
	await page.screenshot({ path: shot });
	console.log('# screenshot: ' + shot);

	await iframe.click();
	await page.keyboard.type('echo pid""2=$$\n', { delay: 10 });
	ok('reload: the reloaded terminal runs a command', await until(
	    async () => /pid2=\d+/.test(await screen()), 10000),
	    (await screen()).slice(-200));
	const pid2 = /pid2=(\d+)/.exec(await screen())?.[1];
	ok('reload: ... in the same shell ($$ before and after)',
	    pid1 !== undefined && pid1 === pid2, `${pid1} / ${pid2}`);
	ok('reload: the same session, still active', sql(`SELECT status FROM
	    termgate.sessions WHERE id = '${sid}'`) === 'active', sid);

	// Output that scrolls far off the screen before the reload: the
	// holder keeps it (scrollback_lines) and paints it into the new
	// page's terminal scrollback, where the user scrolls up to it.
	await iframe.click();
	await page.keyboard.type('seq -f old-%03g 1 200\n', { delay: 10 });
	ok('reload: 200 lines scroll by', await until(
	    async () => /^old-200 *$/m.test(await screen()), 10000),
	    (await screen()).slice(-200));

	// The whole page reloaded, as a user does (F5 on the web client):
	// the old page's beacon goes out, the new page brings the tab back
	// on the same shell and heartbeats at once, so the server does not
	// end the session beacon_grace seconds later.
	const before = sql('SELECT now()');
	await page.reload();
	const iframe2 = await page.waitForSelector(
	    `.terminal[data-session="${sid}"] iframe.t-frame`,
	    { timeout: 30000 }).catch(() => null);
	ok('reload: the page reloaded shows the session\'s tab again',
	    iframe2 !== null);
	const frame2 = iframe2 ? await iframe2.contentFrame() : null;
	const screen2 = () => frame2 ? screenOf(frame2).catch(() => '') : '';
	ok('reload: ... with what it showed, untyped', await until(async () =>
	    /pid2=\d+/.test(await screen2()), 10000),
	    String(await screen2()).slice(-200));
	ok('reload: ... and, scrolled up, the output from before it',
	    await until(async () => /^old-050 *$/m.test(await screen2()), 10000),
	    String(await screen2()).slice(0, 200));
	ok('reload: ... and the beacon undone by the new page\'s heartbeat',
	    await until(() => sql(`SELECT status = 'active' AND
	    client_lost_at IS NULL AND last_seen_at > '${before}'
	    FROM termgate.sessions WHERE id = '${sid}'`) === 't', 10000));
	if (iframe2) {
		await iframe2.click();
		await page.keyboard.type('echo pid""3=$$\n', { delay: 10 });
	}
	ok('reload: ... and types into the same shell', await until(
	    async () => new RegExp('pid3=' + pid1 + '\\b').test(
	    await screen2()), 10000), String(await screen2()).slice(-200));
	sql(`SELECT termgate.end_session('${sid}', 'user_close')`);
	await ctx.close();
}
