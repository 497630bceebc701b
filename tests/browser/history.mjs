// history.mjs - the command history panel of the web client in Chromium,
// run by web.mjs against the real stack (real shellinabox terminals; and
// "run again" alone, runAgainTests, on every backend, the real ttyd too):
// rows inserted with psql the way the supervisor inserts captured ones;
// Ctrl+R opens the panel; searching, filtering, paging by scrolling,
// copy, "run again" into the terminal without Enter, playing a recording
// (a .cast file written here) from a command's moment, delete, export;
// the empty and error states; tabs, full screen, resizing; 360 px.
// Screenshots go to $TG_BUILDDIR/tests/browser/ and their paths to the
// log.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const user = 'histuser';

export async function historyTests(browser, base, { ok, sql, until }) {
	const recdir = process.env.TG_RECDIR;
	const outdir = (process.env.TG_BUILDDIR || '.') + '/tests/browser';
	mkdirSync(outdir, { recursive: true });
	const ctx = await browser.newContext({
	    extraHTTPHeaders: { 'X-Test-User': user },
	    viewport: { width: 1280, height: 800 } });
	await ctx.grantPermissions(['clipboard-read', 'clipboard-write'],
	    { origin: base });
	/* Downloads carry cookies, not playwright's extra headers. */
	await ctx.addCookies([{ name: 'termgate_test_user', value: user,
	    url: base }]);
	const page = await ctx.newPage();
	const errors = [];
	page.on('pageerror', (e) => errors.push(String(e)));
	await page.goto(base + '/');
	const openOn = (host) => page.getByRole('button',
	    { name: 'Open a terminal on ' + host, exact: true }).click();
	const screen = async (frame) => frame.evaluate(
	    () => document.body ? document.body.innerText : '');

	// A terminal on local, as "run again" needs one.
	await openOn('local');
	const f1 = await (await page.waitForSelector('iframe.t-frame',
	    { timeout: 60000 })).contentFrame();
	await f1.waitForLoadState();
	await until(async () => /[#$] *$/m.test(await screen(f1)), 10000);
	const sid = sql(`SELECT id FROM termgate.sessions WHERE username =
	    '${user}' AND host_id = 'local' AND status = 'active'`);
	ok('history: a terminal on local is open', /^[0-9a-f]{64}$/.test(sid),
	    sid);

	// 70 plain rows a minute apart, and a few with something to test.
	sql(`INSERT INTO termgate.command_history (session_id, host_id,
	    user_id, command, exit_status, cwd, started_at, finished_at,
	    source)
	    SELECT '${sid}', 'local', u.id, 'echo row-' || g, 0, '/tmp',
	    now() - g * interval '1 minute',
	    now() - g * interval '1 minute' + interval '40 milliseconds',
	    'shell' FROM generate_series(1, 70) g, termgate.users u
	    WHERE u.username = '${user}'`);
	const add = (cmd, host, exit, at, extra = '') => sql(`INSERT INTO
	    termgate.command_history (session_id, host_id, user_id, command,
	    exit_status, cwd, started_at, finished_at, source
	    ${extra ? ', recording_offset' : ''})
	    SELECT '${sid}', '${host}', u.id, ${cmd}, ${exit}, '/srv/app',
	    now() - interval '${at}', now() - interval '${at}' +
	    interval '1500 milliseconds', '${exit === 'NULL' ? 'typed' :
	    'shell'}' ${extra ? ', ' + extra : ''}
	    FROM termgate.users u WHERE u.username = '${user}' RETURNING id`);
	const needle = add(`'grep -rn needle /srv'`, 'local2', 1, '10 seconds');
	add(`'systemctl status nginx'`, 'local', 'NULL', '20 seconds');
	add(`'echo typed-$((6*7))'`, 'local', 0, '25 seconds');
	add(`'printf ' || E'\\x1b' || '[31m<b>bold</b>'`, 'local', 0,
	    '30 seconds');
	add(`'echo ' || repeat('very-long-argument ', 30)`, 'local', 0,
	    '35 seconds');
	add(`'ls -la /var/log'`, 'local', 0, '40 seconds', '2.5');

	// Ctrl+R with the page, not the terminal, focused.
	await page.locator('h1').click();
	await page.keyboard.press('Control+r');
	const panel = page.locator('#history');
	ok('history: Ctrl+R opens the panel', await until(
	    () => panel.isVisible(), 5000));
	ok('history: ... with the search box focused', await page.evaluate(
	    () => document.activeElement.id) === 'h-q');
	const rows = page.locator('#h-list .h-row');
	// Searches for Q until the list shows N rows, the first with WANT.
	const searchFor = async (q, n, want) => {
		await page.locator('#h-q').fill(q);
		return until(async () => await rows.count() === n &&
		    (await rows.first().innerText()).includes(want), 5000);
	};
	ok('history: the newest page shows (50 rows)', await until(
	    async () => await rows.count() === 50, 5000),
	    String(await rows.count()));
	ok('history: newest first', (await rows.first().locator('.h-text')
	    .innerText()).startsWith('grep -rn needle'));

	// Scrolling to the end loads the next page by cursor.
	await page.locator('#history').evaluate((el) => {
		el.scrollTop = el.scrollHeight;
	});
	ok('history: scrolling pages on (76 rows)', await until(
	    async () => await rows.count() === 76, 5000),
	    String(await rows.count()));
	ok('history: no row twice', await page.evaluate(() => {
		const ids = [...document.querySelectorAll('#h-list .h-row')]
		    .map((r) => r.dataset.id);
		return new Set(ids).size === ids.length;
	}));

	// Control characters and markup in a command are shown, not obeyed.
	ok('history: markup in a command is text, never HTML', await page
	    .locator('#h-list b').count() === 0);
	ok('history: control characters are shown in caret notation',
	    await page.locator('#h-list .h-text',
	    { hasText: 'printf ^[[31m<b>bold</b>' }).count() === 1);
	const longRow = page.locator('.h-row', { hasText: 'very-long-argument' });
	ok('history: a long command is folded', await until(() => longRow
	    .locator('.h-fold').isVisible(), 3000), await longRow.evaluate(
	    (r) => { const c = r.querySelector('.h-cmd');
	    return c.scrollHeight + '/' + c.clientHeight; }));
	await longRow.locator('.h-fold').click();
	ok('history: ... and unfolds', await longRow.evaluate(
	    (r) => r.classList.contains('unfolded')));

	// Search as you type, the match highlighted.
	ok('history: typing searches (one row)', await searchFor('NEEDLE', 1,
	    'grep -rn needle'));
	ok('history: the match is highlighted', await rows.first().locator(
	    'mark').innerText() === 'needle');
	// Typing a word as a user does, a key every 60 ms: one search, for
	// the whole word, once the typing pauses (not one a keystroke).
	await page.locator('#h-q').fill('');
	await until(async () => await rows.count() >= 50, 5000);
	const searched = [];
	const onSearch = (r) => {
		const u = new URL(r.url());
		if (u.pathname === '/api/terminal/history' && u.searchParams.has('q'))
			searched.push(u.searchParams.get('q'));
	};
	page.on('request', onSearch);
	await page.locator('#h-q').pressSequentially('needle', { delay: 60 });
	await until(async () => await rows.count() === 1, 5000);
	page.off('request', onSearch);
	ok('history: typing a word searches once, for the word',
	    searched.length === 1 && searched[0] === 'needle',
	    JSON.stringify(searched));

	// A search still running when a newer one starts is abandoned: the
	// browser cancels its request (whose worker stops: tests/e2e), and
	// only the newer answer is shown. The first answer is held back here
	// until the second search has gone out.
	let release;
	const held = new Promise((r) => { release = r; });
	const failed = [];
	const onFailed = (r) => {
		if (new URL(r.url()).searchParams.get('q') === 'row-1')
			failed.push(r.failure() ? r.failure().errorText : '');
	};
	page.on('requestfailed', onFailed);
	await page.route('**/api/terminal/history?*q=row-1*', async (route) => {
		await held;
		await route.continue().catch(() => {});
	});
	await page.locator('#h-q').fill('row-1');
	await until(async () => (await page.locator('#h-status').innerText())
	    .startsWith('Searching'), 5000);
	await page.locator('#h-q').fill('NEEDLE');
	await until(async () => await rows.count() === 1, 5000);
	release();
	await until(async () => failed.length > 0, 5000);
	page.off('requestfailed', onFailed);
	await page.unroute('**/api/terminal/history?*q=row-1*');
	ok('history: a search replaced while it ran is canceled',
	    failed.length === 1 && /ABORTED/.test(failed[0]),
	    JSON.stringify(failed));
	ok('history: ... and only the newer answer shows', await rows.count()
	    === 1 && (await rows.first().innerText()).includes('needle'));
	ok('history: the badge says it failed', await rows.first().locator(
	    '.h-badge').innerText() === 'exit 1');
	ok('history: when, exact on hover', /T.*Z/.test(await rows.first()
	    .locator('.h-when').getAttribute('title')));
	ok('history: duration shown', await rows.first().locator('.h-dur')
	    .innerText() === '1.5 s');
	await page.locator('#h-q').fill('zzz-nothing-like-it');
	ok('history: no match says what to do', await until(async () =>
	    (await page.locator('#h-list .h-empty').innerText())
	    .includes('No command matches'), 5000));
	await page.locator('#h-q').fill('re:(unclosed');
	ok('history: a bad regex says why', await until(async () =>
	    (await page.locator('#h-list .h-failed').innerText().catch(
	    () => '')).includes('parentheses () not balanced'), 5000));
	ok('history: a regex search (10 rows)', await searchFor(
	    're:^echo row-6[0-9]$', 10, 'echo row-60'));

	// Filters change the results.
	await page.locator('#h-q').fill('');
	await page.locator('.h-filters summary').click();
	await page.locator('#h-host').selectOption('local2');
	ok('history: filter by host', await until(async () =>
	    await rows.count() === 1 && (await rows.first().innerText())
	    .includes('needle'), 5000));
	await page.locator('#h-host').selectOption('');
	await page.locator('input[name=h-exit][value=nonzero]').check();
	ok('history: filter failed ones', await until(
	    async () => await rows.count() === 1, 5000));
	await page.locator('input[name=h-exit][value=""]').check();
	await page.locator('#h-source').selectOption('typed');
	ok('history: filter by source', await until(async () =>
	    await rows.count() === 1 && (await rows.first().innerText())
	    .includes('systemctl'), 5000));
	ok('history: a typed command shows no duration (its end is unknown)',
	    await rows.first().locator('.h-dur').textContent() === '');
	await page.locator('#h-source').selectOption('');
	// The rows go back 70 minutes: from yesterday to today, whatever
	// the time of day (a run just after midnight has them on both).
	const [yesterday, today] = await page.evaluate(() => {
		const day = (d) => d.getFullYear() + '-' +
		    String(d.getMonth() + 1).padStart(2, '0') + '-' +
		    String(d.getDate()).padStart(2, '0');
		const d = new Date();
		return [day(new Date(d.getTime() - 86400000)), day(d)];
	});
	await page.locator('#h-since').fill('2000-01-01');
	await page.locator('#h-until').fill('2000-01-02');
	ok('history: a date range without commands is empty', await until(
	    async () => await page.locator('#h-list .h-empty').count() === 1,
	    5000));
	await page.locator('#h-until').fill(today);
	await page.locator('#h-since').fill(yesterday);
	ok('history: ... and yesterday to today has them', await until(
	    async () => await rows.count() >= 50, 5000));
	await page.locator('#h-session').check();
	ok('history: this session only', await until(
	    async () => await rows.count() >= 50, 5000));
	await page.locator('#h-clear').click();
	ok('history: frequent commands as chips for the host', await until(
	    async () => await page.locator('#h-frequent .chip').count() > 0,
	    5000));

	// Keyboard: from the search box down into the rows.
	ok('history: a search for the next tests', await searchFor(
	    'echo typed', 1, 'echo typed'));
	await page.locator('#h-q').focus();
	await page.keyboard.press('ArrowDown');
	ok('history: arrow down reaches the rows', await page.evaluate(
	    () => document.activeElement.classList.contains('h-row')));

	// Copy.
	await rows.first().getByRole('button', { name: /^Copy/ }).click();
	ok('history: copy puts the command on the clipboard', await until(
	    async () => await page.evaluate(() => navigator.clipboard
	    .readText()) === 'echo typed-$((6*7))', 3000));

	// Run again: typed into the terminal of its host, not run.
	await rows.first().getByRole('button', { name: /^Type/ }).click();
	ok('history: run again types the command into the terminal',
	    await until(async () => (await screen(f1)).includes(
	    'echo typed-$((6*7))'), 5000));
	ok('history: ... without running it', !(await screen(f1))
	    .includes('typed-42'));
	await page.locator('iframe.t-frame').first().click();
	await page.keyboard.press('Enter');
	ok('history: ... Enter there runs it', await until(async () =>
	    (await screen(f1)).includes('typed-42'), 5000));

	// A recording, played from the moment a command started (2.5 s).
	writeFileSync(recdir + '/' + sid + '.cast',
	    '{"version": 2, "width": 60, "height": 8, "timestamp": ' +
	    Math.floor(Date.now() / 1000 - 120) + '}\n' +
	    '[1.0, "o", "first-output\\r\\n"]\n' +
	    '[2.4, "o", "$ ls -la /var/log\\r\\n"]\n' +
	    '[2.5, "o", "second-output\\r\\n"]\n' +
	    '[4.0, "o", "third-output\\r\\n"]\n');
	ok('history: a search for the recording', await searchFor(
	    'ls -la /var', 1, 'ls -la /var/log'));
	await rows.first().getByRole('button', { name: /^Play/ }).click();
	const dlg = page.locator('#player');
	ok('history: the player opens', await until(
	    () => dlg.isVisible(), 5000));
	ok('history: the player shows the moment of the command',
	    await until(async () => {
		const t = await page.locator('#player-box').innerText()
		    .catch(() => '');
		return t.includes('$ ls -la /var/log') &&
		    !t.includes('third-output');
	    }, 10000), await page.locator('#player-box').innerText()
	    .catch(() => '?'));
	// Where the player is, as it shows it: its clock (whole seconds)
	// at 0:02, and the command's marker (at 2.5 s) passed.
	const elapsed = page.locator('#player-box .ap-time-elapsed');
	ok('history: the player is at 2 s', await until(async () =>
	    await elapsed.textContent() === '00:02', 3000),
	    await elapsed.textContent());
	ok('history: ... at the command\'s marker', await until(async () =>
	    await page.locator('#player-box .ap-marker-past').count() === 1,
	    3000));
	const shot1 = outdir + '/history-player.png';
	await page.screenshot({ path: shot1 });
	console.log('# screenshot: ' + shot1);
	await page.locator('#player-close').click();
	ok('history: the player closes', await until(
	    async () => !(await dlg.isVisible()), 3000));

	// Delete: two clicks, and an administrator can tell.
	ok('history: a search for the row to delete', await searchFor(
	    'needle', 1, 'grep -rn needle'));
	const del = rows.first().getByRole('button', { name: /^Delete/ });
	await del.click();
	ok('history: delete asks first', await del.innerText() ===
	    'Really delete?');
	await del.click();
	ok('history: delete removes the row', await until(
	    async () => await rows.count() === 0, 5000));
	ok('history: ... from the database', sql(`SELECT count(*) FROM
	    termgate.command_history WHERE id = ${needle}`) === '0');
	ok('history: ... and records it', sql(`SELECT count(*) FROM
	    termgate.session_events WHERE kind = 'history_deleted'
	    AND username = '${user}'`) === '1');

	// Export: what the search shows, as a CSV download.
	ok('history: a search to export', await searchFor('echo row-7', 2,
	    'echo row-7'));
	const [dl] = await Promise.all([page.waitForEvent('download'),
	    page.locator('#h-export').click()]);
	const csv = readFileSync(await dl.path(), 'utf8');
	ok('history: export downloads the search as CSV',
	    dl.suggestedFilename() === 'termgate-history.csv' &&
	    csv.split('\r\n').length === 4 && csv.includes('"echo row-70"'),
	    dl.suggestedFilename() + ' ' + csv.slice(0, 200));

	// A row that reads "ls -la" and holds "ls " U+202E "al-" (a bidi
	// override): shown as it is, and never typed into a terminal.
	add(`'ls ' || E'\\u202e' || 'al-'`, 'local', 0, '5 seconds');
	ok('history: a reordering character is shown as \\u{202e}',
	    await searchFor('al-', 1, 'ls \\u{202e}al-'),
	    await rows.first().innerText().catch(() => ''));
	ok('history: ... and Type is refused for that row', await rows.first()
	    .getByRole('button', { name: /^Type/ }).isDisabled());

	await page.locator('#h-q').fill('');
	await until(async () => await rows.count() >= 50, 5000);
	const shot2 = outdir + '/history-panel.png';
	await page.screenshot({ path: shot2 });
	console.log('# screenshot: ' + shot2);

	// The rest of the page: tabs, full screen, filling the space.
	await page.locator('#history-close').click();
	ok('history: Close hides the panel', !(await panel.isVisible()));
	await openOn('local2');
	ok('web: a second terminal is a second tab', await until(
	    async () => await page.getByRole('tab').count() === 2, 10000));
	await page.getByRole('tab', { name: 'local', exact: true }).click();
	const visible = await page.evaluate(() => [...document.querySelectorAll(
	    '.terminal')].map((t) => getComputedStyle(t).visibility)
	    .join(' '));
	ok('web: a tab shows its terminal, the other stays hidden',
	    visible === 'visible hidden', visible);
	const frameH = () => page.evaluate(() => [...document.querySelectorAll(
	    '.terminal:not(.inactive) iframe')][0].getBoundingClientRect()
	    .height);
	const h1 = await frameH();
	ok('web: the terminal fills the window', h1 > 800 * 0.6, String(h1));
	await page.setViewportSize({ width: 1280, height: 1000 });
	ok('web: ... and follows its resizes', await until(
	    async () => await frameH() > h1 + 150, 3000));
	const active = page.locator('.terminal:not(.inactive)');
	await active.getByRole('button', { name: 'Full screen' }).click();
	ok('web: full screen', await until(() => page.evaluate(() =>
	    document.fullscreenElement !== null ||
	    document.querySelector('.terminal.maximized') !== null), 3000));
	await active.getByRole('button', { name: 'Exit full screen' }).click();
	ok('web: ... and back', await until(() => page.evaluate(() =>
	    document.fullscreenElement === null &&
	    document.querySelector('.terminal.maximized') === null), 3000));
	ok('web: the session list shows age and last activity', /opened .* ago, active .* ago/.test(
	    await page.locator('#sessions li').first().innerText()));

	// 360 px wide: the panel takes the screen and nothing overflows.
	await page.setViewportSize({ width: 360, height: 740 });
	await page.locator('h1').click();
	await page.keyboard.press('Control+r');
	await until(() => panel.isVisible(), 3000);
	await until(async () => await rows.count() >= 50, 5000);
	const box = await panel.boundingBox();
	ok('history: at 360 px the panel fits the screen',
	    box && box.x >= 0 && box.width <= 360, JSON.stringify(box));
	ok('history: ... nothing wider than the screen', await page.evaluate(
	    () => document.getElementById('history').scrollWidth <= 360));
	const shot3 = outdir + '/history-panel-360.png';
	await page.screenshot({ path: shot3 });
	console.log('# screenshot: ' + shot3);
	await page.keyboard.press('Escape');
	ok('history: Escape closes it', await until(
	    async () => !(await panel.isVisible()), 3000));
	ok('history: no script error on the page', errors.length === 0,
	    errors.join('; '));
	await ctx.close();
}

/*
 * "Run again" on the terminal of BACKEND (shellinabox or the real ttyd),
 * as a user of its own (USER): a command from the history is typed onto
 * the terminal's current line without Enter. That it was not run is
 * shown by what follows: " x" typed after it and Enter print
 * "again-42 x", which only one command line holding both can print (had
 * the command run on its own, "again-42" and then "x: not found" would
 * show). The shell's capture (termgate-pty) then records that
 * line, and never the command alone. Then the shell sees the terminal's
 * size follow the window's.
 */
export async function runAgainTests(browser, base, user, { ok, sql, until }) {
	const ctx = await browser.newContext({
	    extraHTTPHeaders: { 'X-Test-User': user },
	    viewport: { width: 1280, height: 800 } });
	const page = await ctx.newPage();
	const errors = [];
	page.on('pageerror', (e) => errors.push(String(e)));
	await page.goto(base + '/');
	await page.getByRole('button', { name: 'Open a terminal on local',
	    exact: true }).click();
	const frame = await (await page.waitForSelector('iframe.t-frame',
	    { timeout: 60000 })).contentFrame();
	await frame.waitForLoadState();
	// ttyd's xterm.js keeps its screen in window.term's buffer (the
	// cursor's line is baseY + cursorY); shellinabox's is the page's
	// text, its cursor on the last line that has any.
	const lines = () => frame.evaluate(() => {
		const b = window.term?.buffer?.active;
		if (!b)
			return { all: document.body.innerText.split('\n'),
			    cursor: -1 };
		const all = [];
		for (let i = 0; i < b.length; i++)
			all.push(b.getLine(i).translateToString(true));
		return { all, cursor: b.baseY + b.cursorY };
	});
	const cursorLine = async () => {
		const s = await lines();
		if (s.cursor >= 0)
			return s.all[s.cursor].trimEnd();
		return (s.all.filter((l) => l.trim() !== '').pop() || '')
		    .trimEnd();
	};
	const text = async () => (await lines()).all
	    .map((l) => l.trimEnd()).join('\n');
	await until(async () => /[#$] *$/m.test(await text()), 10000);
	const sid = sql(`SELECT id FROM termgate.sessions WHERE username =
	    '${user}' AND host_id = 'local' AND status = 'active'`);
	ok(`again: a terminal on local is open (${user})`,
	    /^[0-9a-f]{64}$/.test(sid), sid);
	const cmd = 'echo again-$((6*7))';
	sql(`INSERT INTO termgate.command_history (session_id, host_id,
	    user_id, command, exit_status, started_at, source)
	    SELECT '${sid}', 'local', u.id, '${cmd}', 0,
	    now() - interval '1 minute', 'shell'
	    FROM termgate.users u WHERE u.username = '${user}'`);
	const runs = (c) => Number(sql(`SELECT count(*) FROM
	    termgate.command_history h JOIN termgate.users u ON u.id =
	    h.user_id WHERE u.username = '${user}' AND h.command = '${c}'`));

	await page.locator('h1').click();
	await page.keyboard.press('Control+r');
	const row = page.locator('#h-list .h-row', { hasText: cmd });
	ok(`again: the panel lists the command (${user})`, await until(
	    async () => await row.count() === 1, 5000));
	await row.getByRole('button', { name: /^Type/ }).click();
	ok(`again: the command is typed on the terminal's line (${user})`,
	    await until(async () => (await cursorLine()).endsWith(cmd), 5000),
	    await cursorLine());
	ok(`again: ... after the prompt (${user})`,
	    /[#$] echo again-\$\(\(6\*7\)\)$/.test(await cursorLine()),
	    await cursorLine());
	ok(`again: ... not run: no output yet (${user})`,
	    !(await text()).includes('again-42'));
	// The keyboard is the terminal's: its frame is focused, and in it
	// what reads keys (xterm.js's textarea, shellinabox's input), not
	// the page's body, where keys typed reach no shell.
	const focused = async () => await page.evaluate(
	    () => document.activeElement?.classList.contains('t-frame')) &&
	    await frame.evaluate(() => document.activeElement?.tagName);
	ok(`again: the terminal has the keyboard (${user})`,
	    /^(TEXTAREA|INPUT)$/.test(await focused()), await focused());
	await page.keyboard.type(' x\n', { delay: 10 });
	ok(`again: Enter runs the line it was typed on (${user})`,
	    await until(async () => /^again-42 x$/m.test(await text()), 5000),
	    (await text()).trim().slice(-300));
	ok(`again: ... which was never run alone (${user})`,
	    !/^again-42$/m.test(await text()) &&
	    !(await text()).includes('not found'));
	ok(`again: the capture records that line (${user})`, await until(
	    async () => runs(cmd + ' x') === 1, 10000), String(runs(cmd + ' x')));
	ok(`again: ... and never the command alone (${user})`,
	    runs(cmd) === 1, String(runs(cmd)));

	// The shell sees the terminal's size, and a new one when the window
	// grows: "stty size" until it answers more rows (each answer is
	// waited for; the resize reaches the pty a moment after the page).
	const sizes = async () => (await text()).split('\n')
	    .filter((l) => /^[0-9]+ [0-9]+$/.test(l));
	const stty = async () => {
		const n = (await sizes()).length;
		await page.keyboard.type('stty size\n', { delay: 10 });
		return await until(async () => (await sizes()).length > n, 5000) ?
		    Number((await sizes()).pop().split(' ')[0]) : -1;
	};
	const rows1 = await stty();
	ok(`again: the shell sees the terminal's size (${user})`, rows1 > 24,
	    String(rows1));
	await page.setViewportSize({ width: 1280, height: 1100 });
	let rows2 = rows1;
	const end = Date.now() + 10000;
	while (rows2 <= rows1 && rows2 !== -1 && Date.now() < end)
		rows2 = await stty();
	ok(`again: ... and more rows when the window grows (${user})`,
	    rows2 > rows1 + 5, `${rows1} -> ${rows2}`);
	ok(`again: no script error on the page (${user})`,
	    errors.length === 0, errors.join('; '));
	await ctx.close();
}
