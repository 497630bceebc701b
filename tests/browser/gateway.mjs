// gateway.mjs - the gateway killed -9 under open terminals
// (terminal_gateway = on), run by web.mjs in Chromium when TG_GATEWAY is
// set: a terminal in a tab (local) and one in a popout window (local2)
// each print a mark and their shell's $$; each page's xterm is then
// cleared (so that only a new paint can show its mark again), and the
// node's gateway, the sessions' ttyd_pid, is killed with SIGKILL. ttyd
// 1.7.7's page does not reconnect by itself then (nginx drops the
// WebSocket uncleanly, the browser fires "error", and the page turns its
// own retry off, offering "Press ⏎ to Reconnect"); the web client sees
// it and loads the terminal's page again, backing off while the next
// gateway is not up. Without any key, the tab and the popout show their
// marks again (the holders' repaint), `echo $$` answers the same shells,
// no holder or shell died, and each session is the same row, still
// active, naming the new gateway, the popout's page still naming it. How
// long the new gateway took, and each repaint after it, is logged (the
// goal is within 2 s of the gateway being back), not asserted.
import { openLocal, screenOf } from './reload.mjs';

const alive = (pid) => {
	try {
		process.kill(Number(pid), 0);
		return true;
	} catch (e) {
		return false;
	}
};

export async function gatewayTests(browser, base, user, { ok, sql, until }) {
	const { ctx, page, iframe, frame, screen } =
	    await openLocal(browser, base, user, until);
	await page.keyboard.type('echo gwmark-X""YZ pid1=$$\n', { delay: 10 });
	ok('gateway: the tab shows gwmark-XYZ', await until(
	    async () => /gwmark-XYZ pid1=\d+/.test(await screen()), 10000),
	    (await screen()).slice(-200));
	const pid1 = /gwmark-XYZ pid1=(\d+)/.exec(await screen())?.[1];

	const [pop] = await Promise.all([ctx.waitForEvent('page'),
	    page.getByRole('button', { name: 'Open a terminal on local2 ' +
	    'in a new window', exact: true }).click()]);
	await pop.waitForURL(/#popout=[0-9a-f]{64}$/, { timeout: 60000 });
	const popId = /#popout=([0-9a-f]{64})$/.exec(pop.url())[1];
	const piframe = await pop.waitForSelector('iframe.t-frame',
	    { timeout: 60000 });
	const pframe = await piframe.contentFrame();
	const pscreen = () => screenOf(pframe).catch(() => '');
	await until(async () => /[#$] *$/m.test(await pscreen()), 10000);
	await piframe.click();
	await pop.keyboard.type('echo popmark-X""YZ pid1=$$\n', { delay: 10 });
	ok('gateway: the popout shows popmark-XYZ', await until(
	    async () => /popmark-XYZ pid1=\d+/.test(await pscreen()), 10000),
	    (await pscreen()).slice(-200));
	const ppid1 = /popmark-XYZ pid1=(\d+)/.exec(await pscreen())?.[1];

	const row = (host) => sql(`SELECT id || ' ' || status || ' ' ||
	    coalesce(ttyd_pid, 0) || ' ' || coalesce(holder_pid, 0) FROM
	    termgate.sessions WHERE username = '${user}' AND host_id =
	    '${host}' AND status IN ('starting', 'active')`).split(' ');
	const [sid, , gw, holder] = row('local');
	const [psid, , pgw, pholder] = row('local2');
	ok('gateway: the popout is session local2\'s, on the same gateway',
	    popId === psid && pgw === gw, `${popId} ${psid} ${pgw} ${gw}`);

	await frame.evaluate(() => window.term.reset());
	await pframe.evaluate(() => window.term.reset());
	ok('gateway: cleared in the pages, the marks are gone',
	    !/gwmark-XYZ pid1/.test(await screen()) &&
	    !/popmark-XYZ pid1/.test(await pscreen()));
	const t0 = Date.now();
	process.kill(Number(gw), 'SIGKILL');
	// Each waited for on its own, so that each time is its own.
	const at = async (f) => await until(f, 10000) ? Date.now() - t0 : null;
	const [up, tab, pp] = await Promise.all([
	    at(() => !['0', gw].includes(row('local')[2])),
	    at(async () => /gwmark-XYZ pid1=\d+/.test(await screen())),
	    at(async () => /popmark-XYZ pid1=\d+/.test(await pscreen()))]);
	ok('gateway: killed -9, a new gateway serves the sessions',
	    up !== null, row('local').join(' '));
	ok('gateway: ... and the tab repaints by itself (its mark)',
	    tab !== null, (await screen()).slice(-200));
	ok('gateway: ... and the popout too',
	    pp !== null, (await pscreen()).slice(-200));
	console.log(`# gateway: killed -9 at 0 ms; the new gateway in the ` +
	    `rows at ${up} ms; repainted at ${tab} ms (tab), ${pp} ms ` +
	    '(popout)');

	await iframe.click();
	await page.keyboard.type('echo gwpid2""=$$\n', { delay: 10 });
	ok('gateway: the tab types into the same shell',
	    await until(async () => new RegExp(`gwpid2=${pid1}\\b`).test(
	    await screen()), 10000), (await screen()).slice(-200));
	await piframe.click();
	await pop.keyboard.type('echo gwpid2""=$$\n', { delay: 10 });
	ok('gateway: the popout types into the same shell',
	    await until(async () => new RegExp(`gwpid2=${ppid1}\\b`).test(
	    await pscreen()), 10000), (await pscreen()).slice(-200));
	ok('gateway: no holder or shell died',
	    [holder, pholder, pid1, ppid1].every(alive),
	    [holder, pholder, pid1, ppid1].join(' '));
	const after = row('local'), pafter = row('local2');
	ok('gateway: the same sessions, still active, served by a new ' +
	    'gateway', after[0] === sid && after[1] === 'active' &&
	    after[2] !== gw && pafter[0] === psid && pafter[1] === 'active' &&
	    pafter[2] === after[2], after.join(' ') + ' / ' + pafter.join(' '));
	ok('gateway: the popout\'s page names the same session',
	    /#popout=([0-9a-f]{64})$/.exec(pop.url())?.[1] === psid,
	    pop.url());
	await ctx.close();
}
