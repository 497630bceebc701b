// console.mjs - the operator's console of the web client in Chromium,
// run once by web.mjs against the real stack: hidden from a user who is
// not an admin, whose calls to its API are refused; for an admin, a
// user's new session appears in the list without a reload, is sorted
// and filtered, terminated with a reason that lands in the database,
// and its closed event shows (and exports) in the audit trail; watch
// and join follow the API's contract, a refusal shown as the API's
// error (answered here by page.route, on any backend: shares.mjs clicks
// the same buttons against the real one, on ttyd); and
// a recording's command timeline seeks the player to a clicked command
// and marks the one under the playhead as it plays; the history panel
// searches and exports every user's commands. Screenshots go to
// $TG_BUILDDIR/tests/browser/ and their paths to the log.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const user = 'cuser';
const admin = 'admin';

/* A context and page for USER, its errors collected in ERRORS. */
async function pageFor(browser, base, who, errors) {
	const ctx = await browser.newContext({
	    extraHTTPHeaders: { 'X-Test-User': who },
	    viewport: { width: 1280, height: 800 }, acceptDownloads: true });
	/* Downloads carry cookies, not playwright's extra headers. */
	await ctx.addCookies([{ name: 'termgate_test_user', value: who,
	    url: base }]);
	const page = await ctx.newPage();
	page.on('pageerror', (e) => errors.push(String(e)));
	return page;
}

/* Status of a fetch of PATH by the page (its user), as the API says. */
const statusOf = (page, method, path) => page.evaluate(async ([m, p]) =>
    (await fetch(p, { method: m, headers: { 'Content-Type':
    'application/json' } })).status, [method, path]);

async function nonAdmin(browser, base, t, errors) {
	const { ok, until } = t;
	const page = await pageFor(browser, base, user, errors);
	const probe = page.waitForResponse((r) =>
	    /\/api\/terminal\/admin\/sessions/.test(r.url()));
	await page.goto(base + '/');
	ok('console: the page asks the API whether the user is an admin',
	    (await probe).status() === 403);
	await page.getByRole('button', { name: 'Open a terminal on local',
	    exact: true }).waitFor();
	ok('console: hidden from a user who is not an admin',
	    !(await page.locator('#console-toggle').isVisible()));
	ok('console: ... and its "every user" history filter too',
	    !(await page.locator('#h-all-box').isVisible()));
	ok('console: its API refuses the user (events: 403)',
	    await statusOf(page, 'GET', '/api/terminal/admin/events') === 403);
	ok('console: ... (sessions: 403)', await statusOf(page, 'GET',
	    '/api/terminal/admin/sessions') === 403);
	ok('console: ... (terminate: 403)', await statusOf(page, 'DELETE',
	    '/api/terminal/admin/sessions/' + '0'.repeat(64)) === 403);
	ok('console: ... (history of every user: 403)', await statusOf(page,
	    'GET', '/api/terminal/history?user=*') === 403);
	return page;
}

/* Opens a terminal on local as the user; its session id. */
async function userSession(page, t) {
	const { ok, sql, until } = t;
	await page.getByRole('button', { name: 'Open a terminal on local',
	    exact: true }).click();
	let sid = '';
	ok('console: the user opens a terminal', await until(() => {
		sid = sql(`SELECT id FROM termgate.sessions WHERE username =
		    '${user}' AND status = 'active'`);
		return /^[0-9a-f]{64}$/.test(sid);
	}, 30000), sid);
	return sid;
}

/* The console's row of session SID. */
const rowOf = (page, sid) => page.locator(`#c-rows tr[data-session="${sid}"]`);

async function liveList(page, upage, t, shots) {
	const { ok, until } = t;
	await page.locator('#console-toggle').click();
	ok('console: it opens', await until(() =>
	    page.locator('#console').isVisible(), 5000));
	await page.evaluate(() => {
		window.stillThisPage = true;
	});
	const sid = await userSession(upage, t);
	ok('console: the user\'s new session appears without a reload',
	    await until(() => rowOf(page, sid).isVisible(), 15000));
	ok('console: ... the page was not reloaded', await page.evaluate(
	    () => window.stillThisPage === true));
	const text = await rowOf(page, sid).innerText();
	ok('console: the row shows user, host, node, mode, status',
	    /cuser\s+local\s+local\s+embedded\s+active/.test(text), text);
	const th = page.locator('#c-table th[data-sort="user"]');
	await th.locator('button').click();
	ok('console: a column sorts', await th.getAttribute('aria-sort') ===
	    'ascending');
	await th.locator('button').click();
	ok('console: ... and the other way', await th.getAttribute(
	    'aria-sort') === 'descending');
	await page.locator('#c-user').fill('nobody-such');
	ok('console: a filter hides what it does not match', await until(
	    () => page.locator('#c-empty').isVisible(), 3000));
	await page.locator('#c-user').fill('cus');
	ok('console: ... and shows what it does', await until(
	    () => rowOf(page, sid).isVisible(), 3000));
	const shot = shots + '/console-sessions.png';
	await page.screenshot({ path: shot });
	console.log('# screenshot: ' + shot);
	return sid;
}

/* Watch and join against the API's contract, answered by page.route
 * (shares.mjs: against the real API). */
async function watchJoin(page, sid, t) {
	const { ok, until } = t;
	const watchUrl = '**/api/terminal/admin/sessions/' + sid + '/watch';
	await page.route(watchUrl, (r) => r.fulfill({ status: 404,
	    contentType: 'application/json', body: JSON.stringify({
	    error: 'NOT_FOUND', message: 'Not found' }) }));
	await rowOf(page, sid).getByRole('button', { name: /^Watch/ }).click();
	const said = /Could not watch cuser's terminal on local: Not found \(NOT_FOUND\)/;
	ok('console: a watch the API refuses shows the API\'s error',
	    await until(async () => said.test(await page.locator(
	    '#error-text').innerText()), 5000),
	    await page.locator('#error-text').innerText());
	await page.locator('#error-dismiss').click();
	await page.unroute(watchUrl);
	let asked = null, ended = null;
	await page.route(watchUrl, (r) => {
		asked = r.request().postDataJSON();
		return r.fulfill({ status: 200, contentType: 'application/json',
		    body: JSON.stringify({ url: '/api/terminal/health',
		    mode: asked.mode, share_id: 'sh1' }) });
	});
	await page.route(watchUrl + '/sh1', (r) => {
		ended = r.request().method();
		return r.fulfill({ status: 204 });
	});
	await rowOf(page, sid).getByRole('button', { name: /^Join/ }).click();
	ok('console: join asks for control', await until(
	    () => asked !== null && asked.mode === 'control', 5000),
	    JSON.stringify(asked));
	const tab = page.getByRole('tab', { name: 'cuser@local (joined)' });
	ok('console: ... and shows the answered url in a terminal tab',
	    await until(() => tab.isVisible(), 5000));
	ok('console: ... the console making way for it',
	    !(await page.locator('#console').isVisible()));
	ok('console: ... its frame at the url', await page.locator(
	    '.terminal:not(.inactive) iframe').getAttribute('src') ===
	    '/api/terminal/health');
	await page.locator('.terminal:not(.inactive) .t-close').click();
	ok('console: closing the tab ends the watch (DELETE .../watch/ID)',
	    await until(() => ended === 'DELETE', 5000), String(ended));
	ok('console: ... and takes the tab away', await until(
	    async () => await tab.count() === 0, 3000));
	await page.unroute(watchUrl);
	await page.unroute(watchUrl + '/sh1');
	await page.locator('#console-toggle').click();
}

async function terminate(page, sid, t, shots) {
	const { ok, sql, until } = t;
	const reason = 'console test: runaway job, ticket 12';
	await rowOf(page, sid).getByRole('button', { name: /^Terminate/ })
	    .click();
	ok('console: terminate asks for a reason', await until(
	    () => page.locator('#terminate').isVisible(), 3000));
	await page.locator('#terminate-reason').fill(reason);
	const shot = shots + '/console-terminate.png';
	await page.screenshot({ path: shot });
	console.log('# screenshot: ' + shot);
	await page.locator('#terminate button[type=submit]').click();
	ok('console: the session is terminated (admin_close)', await until(
	    () => sql(`SELECT reason_closed FROM termgate.sessions
	    WHERE id = '${sid}'`) === 'admin_close', 10000));
	ok('console: the reason is in its closed event', sql(`SELECT
	    detail->>'note' FROM termgate.session_events WHERE session_id =
	    '${sid}' AND kind = 'closed'`) === reason);
	ok('console: ... with the admin who closed it', sql(`SELECT
	    detail->>'by' FROM termgate.session_events WHERE session_id =
	    '${sid}' AND kind = 'closed'`) === admin);
	ok('console: the live list drops it', await until(
	    async () => await rowOf(page, sid).count() === 0, 10000));
	return reason;
}

async function auditTrail(page, sid, reason, t) {
	const { ok, until } = t;
	await page.locator('#c-tab-events').click();
	await page.locator('#a-user').fill(user);
	await page.locator('#a-kind').fill('closed');
	await page.locator('#a-form button[type=submit]').click();
	const rows = page.locator('#a-rows tr');
	ok('console: the audit trail shows the closed event with its reason',
	    await until(async () => await rows.count() === 1 &&
	    (await rows.first().innerText()).includes(reason), 5000),
	    String(await rows.count()));
	const [dl] = await Promise.all([page.waitForEvent('download'),
	    page.locator('#a-export').click()]);
	const csv = readFileSync(await dl.path(), 'utf8');
	ok('console: ... and exports it as CSV', csv.startsWith(
	    'id,at,kind,username,session_id,host_id,detail\r\n') &&
	    csv.includes(sid) && csv.includes(reason) &&
	    csv.split('\r\n').length === 3, csv.slice(0, 300));
	await page.locator('#c-tab-sessions').click();
}

/* A recording of SID with three commands (1, 2.5 and 4 s in). */
function recordingOf(sid, t) {
	const recdir = process.env.TG_RECDIR;
	writeFileSync(recdir + '/' + sid + '.cast',
	    '{"version": 2, "width": 60, "height": 8, "timestamp": ' +
	    Math.floor(Date.now() / 1000 - 60) + '}\n' +
	    '[0.5, "o", "$ "]\n' +
	    '[1.0, "o", "uptime\\r\\nup 3 days\\r\\n$ "]\n' +
	    '[2.5, "o", "df -h\\r\\n/dev/sda1 40%\\r\\n$ "]\n' +
	    '[4.0, "o", "whoami\\r\\ncuser\\r\\n$ "]\n' +
	    '[6.0, "o", "exit\\r\\n"]\n');
	for (const [cmd, off] of [['uptime', 1.0], ['df -h', 2.5],
	    ['whoami', 4.0]])
		t.sql(`INSERT INTO termgate.command_history (session_id,
		    host_id, user_id, command, exit_status, started_at, source,
		    recording_offset) SELECT '${sid}', 'local', u.id, '${cmd}',
		    0, now() - interval '1 minute' + ${off} * interval
		    '1 second', 'shell', ${off} FROM termgate.users u
		    WHERE u.username = '${user}'`);
}

async function timeline(page, sid, t, shots) {
	const { ok, until } = t;
	recordingOf(sid, t);
	await page.locator('#c-status').selectOption('closed');
	ok('console: ended sessions are listed too', await until(
	    () => rowOf(page, sid).isVisible(), 10000));
	await rowOf(page, sid).getByRole('button', { name: /^Play/ }).click();
	const cmds = page.locator('#replay-cmds li');
	ok('console: the recording opens with its commands beside it',
	    await until(async () => await cmds.count() === 3, 10000),
	    String(await cmds.count()));
	ok('console: ... in the order they ran', (await cmds.allInnerTexts())
	    .map((s) => s.replace(/\s+/g, ' ')).join('|') ===
	    '0:01 uptime|0:02 df -h|0:04 whoami',
	    (await cmds.allInnerTexts()).join('|'));
	const at = page.locator('#replay-at');
	await cmds.nth(1).locator('button').click();
	ok('console: a click on a command seeks the player to it (2.5 s)',
	    await until(async () => await at.textContent() === '2.5 s', 5000),
	    await at.textContent());
	ok('console: ... and marks it', await until(async () =>
	    await cmds.nth(1).getAttribute('aria-current') === 'true', 3000));
	ok('console: ... the player shows that moment', await until(
	    async () => {
		const s = await page.locator('#replay-box').innerText()
		    .catch(() => '');
		return s.includes('/dev/sda1') || s.includes('df -h');
	    }, 5000));
	await cmds.nth(0).locator('button').click();
	ok('console: another command: 1.0 s', await until(
	    async () => await at.textContent() === '1.0 s', 5000),
	    await at.textContent());
	const shot = shots + '/console-timeline.png';
	await page.screenshot({ path: shot });
	console.log('# screenshot: ' + shot);
	/* Play: the command under the playhead follows it. */
	await page.locator('#replay-box .ap-playback-button').click();
	ok('console: playing marks the command under the playhead',
	    await until(async () => await cmds.nth(2).getAttribute(
	    'aria-current') === 'true', 10000),
	    await at.textContent());
	ok('console: ... one at a time', await page.locator(
	    '#replay-cmds li[aria-current]').count() === 1);
	await page.locator('#replay-close').click();
}

/* The history panel over every user, from the console; its export. */
async function everyUser(page, t) {
	const { ok, until } = t;
	await page.locator('#c-history').click();
	ok('console: "History of every user" opens the panel so',
	    await until(async () => await page.locator('#history')
	    .isVisible() && await page.locator('#h-all').isChecked(), 5000));
	await page.locator('#h-q').fill('whoami');
	const row = page.locator('#h-list .h-row', { hasText: 'whoami' });
	ok('console: ... and finds another user\'s command, naming them',
	    await until(async () => await row.count() === 1 &&
	    await row.locator('.h-user').innerText() === user, 5000));
	ok('console: ... which it may not delete', !(await row.locator(
	    '.h-del').isVisible()));
	const [dl] = await Promise.all([page.waitForEvent('download'),
	    page.locator('#h-export').click()]);
	const csv = readFileSync(await dl.path(), 'utf8');
	ok('console: ... and exports it', csv.split('\r\n').length === 3 &&
	    csv.includes('"' + user + '","whoami"'), csv.slice(0, 400));
}

export async function consoleTests(browser, base, t) {
	const shots = (process.env.TG_BUILDDIR || '.') + '/tests/browser';
	mkdirSync(shots, { recursive: true });
	const errors = [];
	const upage = await nonAdmin(browser, base, t, errors);
	const page = await pageFor(browser, base, admin, errors);
	await page.goto(base + '/');
	t.ok('console: offered to an admin', await t.until(
	    () => page.locator('#console-toggle').isVisible(), 10000));
	const sid = await liveList(page, upage, t, shots);
	await watchJoin(page, sid, t);
	const reason = await terminate(page, sid, t, shots);
	await auditTrail(page, sid, reason, t);
	await timeline(page, sid, t, shots);
	await everyUser(page, t);
	t.ok('console: no exception in either page', errors.length === 0,
	    errors.join('; '));
	await page.context().close();
	await upage.context().close();
}
