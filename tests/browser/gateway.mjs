// gateway.mjs - a gateway killed -9 under an open terminal
// (terminal_gateway = on), run by web.mjs in Chromium when TG_GATEWAY is
// set: a terminal opened in the web client runs `echo gwmark-XYZ`; its
// xterm is then cleared in the page (so that only a new paint can show
// the mark again), and the node's gateway, the session's ttyd_pid, is
// killed with SIGKILL. ttyd 1.7.7's page does not reconnect by itself
// then: nginx drops the WebSocket uncleanly, the browser fires "error",
// and the page offers "Press ⏎ to Reconnect". One Enter there (again
// while the next gateway is not up yet) reconnects, and the holder
// repaints: the mark is back without anything typed into the shell,
// `echo $$` answers the same shell, and the session was never ended or
// replaced, its row naming the new gateway.
import { openLocal } from './reload.mjs';

export async function gatewayTests(browser, base, user, { ok, sql, until }) {
	const { ctx, page, iframe, frame, screen } =
	    await openLocal(browser, base, user, until);
	await page.keyboard.type('echo gwmark-X""YZ pid1=$$\n', { delay: 10 });
	ok('gateway: the terminal shows gwmark-XYZ', await until(
	    async () => /gwmark-XYZ pid1=\d+/.test(await screen()), 10000),
	    (await screen()).slice(-200));
	const pid1 = /gwmark-XYZ pid1=(\d+)/.exec(await screen())?.[1];
	const row = () => sql(`SELECT id || ' ' || status || ' ' ||
	    coalesce(ttyd_pid, 0) FROM termgate.sessions WHERE username =
	    '${user}' AND status IN ('starting', 'active')`);
	const [sid, , gw] = row().split(' ');

	await frame.evaluate(() => window.term.reset());
	ok('gateway: cleared in the page, the mark is gone',
	    !/gwmark-XYZ pid1/.test(await screen()), (await screen()).slice(-200));
	const t0 = Date.now();
	process.kill(Number(gw), 'SIGKILL');
	const offer = () => frame.evaluate(() =>
	    document.body.innerText.includes('to Reconnect')).catch(() => false);
	let enters = 0;
	ok('gateway: killed -9, Enter on the offer repaints (the mark)',
	    await until(async () => {
		if (/gwmark-XYZ pid1=\d+/.test(await screen()))
			return true;
		if (await offer()) {
			await frame.focus('textarea').catch(() => {});
			await page.keyboard.press('Enter');
			enters++;
		}
		return false;
	    }, 10000), (await screen()).slice(-200));
	const ms = Date.now() - t0;
	console.log(`# gateway: repainted ${ms} ms after the kill, ${enters} ` +
	    'Enter(s)');
	ok(`gateway: within a few seconds (${ms} ms < 5000)`, ms < 5000);
	await iframe.click();
	await page.keyboard.type('echo gwpid2""=$$\n', { delay: 10 });
	ok('gateway: typing reaches the same shell',
	    await until(async () => new RegExp(`gwpid2=${pid1}\\b`).test(
	    await screen()), 10000), (await screen()).slice(-200));
	const after = row().split(' ');
	ok('gateway: the same session, still active, served by a new gateway',
	    after[0] === sid && after[1] === 'active' && after[2] !== gw,
	    after.join(' '));
	await ctx.close();
}
