// web.mjs - the web client (contrib/web) in Debian's headless Chromium,
// against the real stack that tests/browser/run started: a terminal that
// runs a command, heartbeats, the limit dialog, and the beacon on unload;
// a terminal reloaded (reload.mjs); the network dropped for 30 s under two
// tabs (netdrop.mjs), or with TG_GATEWAY, the gateway killed under a tab
// and a popout (gateway.mjs); then the command history panel and "run again"
// (history.mjs); on ttyd, sharing: a watch, a join and a share link
// (shares.mjs). Prints "ok - ..." / "not ok - ..." lines;
// exits 1 on any failure.
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { consoleTests } from './console.mjs';
import { gatewayTests } from './gateway.mjs';
import { historyTests, runAgainTests } from './history.mjs';
import { netdropTests } from './netdrop.mjs';
import { reloadTests, screenOf } from './reload.mjs';
import { sharesTests } from './shares.mjs';

const base = process.argv[2];
const user = process.argv[3] || 'webuser';
let fails = 0;

function ok(what, cond, why = '') {
	console.log((cond ? 'ok - ' : 'not ok - ') + what +
	    (cond || !why ? '' : ' (' + why + ')'));
	if (!cond)
		fails++;
}

function sql(q) {
	return execFileSync('psql', ['-X', '-Atq', '-c', q]).toString().trim();
}

// Polls F until it returns true, for at most MS milliseconds, but never
// less than a minute: the deadline bounds how long a failing check waits,
// not how fast a passing one must be (a loaded 2-CPU machine can be many
// times slower than the one a check was written on). As tests/lib/check.sh.
const UNTIL_MIN_MS = 60000;
async function until(f, ms) {
	const end = Date.now() + Math.max(ms, UNTIL_MIN_MS);
	while (Date.now() < end) {
		if (await f())
			return true;
		await new Promise((r) => setTimeout(r, 50));
	}
	return false;
}

const live = () => sql(`SELECT string_agg(host_id, ' ' ORDER BY created_at)
    FROM termgate.sessions WHERE username = '${user}'
    AND status IN ('starting', 'active')`);

const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--disable-quic',
	    '--no-first-run', '--disable-background-networking',
	    '--disable-component-update', '--disable-sync'],
});
try {
	// nginx takes the user from this header in the test configuration.
	const ctx = await browser.newContext({
	    extraHTTPHeaders: { 'X-Test-User': user } });
	const page = await ctx.newPage();
	let beats = 0;
	const beatAt = [];
	page.on('response', (r) => {
		if (/\/heartbeat$/.test(r.url()) && r.status() === 200) {
			beats++;
			beatAt.push(Date.now());
		}
	});
	await page.goto(base + '/');
	const open = (host) => page.getByRole('button',
	    { name: 'Open a terminal on ' + host, exact: true }).click();

	await page.getByRole('button', { name: /on local$/ }).first()
	    .waitFor({ timeout: UNTIL_MIN_MS });
	let shown = 0;
	for (const h of ['local', 'local2', 'local3'])
		shown += await page.getByRole('button', {
		    name: 'Open a terminal on ' + h, exact: true }).count();
	ok('web: the host list shows every host', shown === 3, `${shown}`);

	await open('local');
	const iframe = await page.waitForSelector('iframe',
	    { timeout: UNTIL_MIN_MS });
	const frame = await iframe.contentFrame();
	await frame.waitForLoadState();
	const screen = () => screenOf(frame);
	// Both draw their screen once their script has connected.
	await until(async () => /[#$] *$/m.test(await screen()), 10000);
	await iframe.click();
	await page.keyboard.type('echo web-$((6*7))\n', { delay: 10 });
	ok('web: an embedded terminal runs a command',
	    await until(async () => (await screen()).includes('web-42'),
	    10000), (await screen()).slice(-200));

	// heartbeat_interval is 1 s here, the client's default 30 s: the
	// gaps tell which one it follows, whatever the machine's load adds.
	const gaps = () => beatAt.slice(1).map((t, i) => t - beatAt[i]);
	ok('web: heartbeats are sent every heartbeat_interval',
	    await until(() => beats >= 3, 5000) &&
	    Math.max(...gaps()) < 15000, `saw ${beats}, gaps ${gaps()} ms`);

	await open('local2');
	ok('web: a second terminal opens', await until(
	    () => live() === 'local local2', 5000), live());
	await open('local3');
	const dialog = page.getByRole('dialog', {
	    name: 'Session limit reached' });
	ok('web: over the limit, the limit dialog opens',
	    await until(() => dialog.isVisible(), 5000));
	ok('web: the dialog lists the live sessions',
	    await dialog.locator('tbody tr').count() === 2);
	await dialog.getByRole('button', { name: /^Close the oldest/ })
	    .click();
	ok('web: "close the oldest" closes it and opens the new one',
	    await until(() => live() === 'local2 local3', 5000), live());
	ok('web: the oldest was closed by the user',
	    sql(`SELECT reason_closed FROM termgate.sessions WHERE username =
	    '${user}' AND host_id = 'local'`) === 'user_close');

	// Leaving the page sends the beacon for each of its terminals, which
	// the collector ends beacon_grace later unless a page heartbeats
	// them (tests/e2e shows the ending; reload.mjs the page that comes
	// back). First the page must hold the new terminal (it is live in
	// the database before the page has attached it).
	const newest = sql(`SELECT id FROM termgate.sessions WHERE username =
	    '${user}' AND host_id = 'local3' AND status = 'active'`);
	await until(async () => await page.locator(
	    `.terminal[data-session="${newest}"]`).count() > 0, 5000);
	// Each beacon the server takes is a heartbeat_lost event (its mark,
	// client_lost_at, a heartbeat already on its way may clear again).
	const beaconed = live();
	const lost = () => sql(`SELECT string_agg(s.host_id, ' ' ORDER BY
	    s.created_at) FROM termgate.sessions s WHERE s.username =
	    '${user}' AND s.status = 'active' AND EXISTS (SELECT 1 FROM
	    termgate.session_events e WHERE e.session_id = s.id AND
	    e.kind = 'heartbeat_lost')`);
	ok('web: no beacon while the page shows its terminals', lost() === '',
	    lost());
	await page.close({ runBeforeUnload: true });
	ok('web: leaving the page sends the beacon of each terminal',
	    await until(() => lost() === beaconed, 5000), beaconed);
	sql(`SELECT termgate.end_session(id, 'user_close') FROM
	    termgate.sessions WHERE username = '${user}' AND status IN
	    ('starting', 'active')`);
} catch (e) {
	ok('web: no exception', false, String(e));
}
try {
	await reloadTests(browser, base, user + '-reload', { ok, sql, until });
} catch (e) {
	ok('reload: no exception', false, String(e.stack || e));
}
if (process.env.TG_GATEWAY) {
	try {
		await gatewayTests(browser, base, user + '-gw',
		    { ok, sql, until });
	} catch (e) {
		ok('gateway: no exception', false, String(e.stack || e));
	}
} else {
	try {
		await netdropTests(browser, base, user + '-drop',
		    { ok, sql, until });
	} catch (e) {
		ok('netdrop: no exception', false, String(e.stack || e));
	}
}
/* On every backend: ttyd carries a connection's mode in its arg=s,
 * shellinabox in the share slot authorize sends it to. */
try {
	await sharesTests(browser, base, user + '-share', { ok, sql, until });
} catch (e) {
	ok('shares: no exception', false, String(e.stack || e));
}
try {
	/* Once: its rows are its own (the second backend's run skips it). */
	if (!process.env.TG_SKIP_HISTORY)
		await historyTests(browser, base, { ok, sql, until });
	/* On every backend: each types into its terminal its own way. */
	await runAgainTests(browser, base, user + '-again',
	    { ok, sql, until });
} catch (e) {
	ok('history: no exception', false, String(e.stack || e));
}
try {
	/* Once, as the history: its sessions and events are its own. */
	if (!process.env.TG_SKIP_HISTORY)
		await consoleTests(browser, base, { ok, sql, until });
} catch (e) {
	ok('console: no exception', false, String(e.stack || e));
} finally {
	await browser.close();
}
console.log(`# browser: ${fails} failure(s)`);
process.exit(fails ? 1 : 0);
