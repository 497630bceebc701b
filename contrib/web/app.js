/*
 * app.js - termgate's web client. Plain JavaScript, no build step.
 *
 * The page lists the hosts (GET /api/terminal/hosts) and the user's live
 * sessions (GET /api/terminal/sessions), opens terminals (POST
 * /api/terminal/sessions) embedded here, one tab each, or in a popout
 * window, keeps them alive with heartbeats (every
 * heartbeat_interval_seconds and at once when the tab becomes visible
 * again), sends a beacon when the page goes away, offers the choices of a
 * 429 SESSION_LIMIT in a dialog, and closes sessions (DELETE). Every API
 * error is shown with its message.
 *
 * The command history panel (History, or Ctrl+R while no terminal has the
 * focus) searches GET /api/terminal/history as the user types, with
 * filters, and pages by cursor as the list scrolls; a row can be copied,
 * typed into the open terminal of its host (never with Enter), deleted,
 * or played from its recording (asciinema-player, loaded from vendor/
 * when first needed) at the moment it started. Commands are data: they
 * reach the page only through textContent, control characters shown in
 * caret notation (^[).
 *
 * A popout window is this same page opened as index.html#popout=ID: it
 * shows only that terminal, and heartbeats and beacons for it itself, so a
 * popout lives exactly as long as its window. The main page heartbeats and
 * beacons only its embedded terminals.
 *
 * Only the open call returns a session's token; the page keeps it in
 * memory (and a popout in its sessionStorage) for the beacon, which is the
 * one call that is authenticated by token instead of by the user.
 */
'use strict';

(function () {
	const API = '/api/terminal';
	const DEFAULT_HEARTBEAT = 30;		/* seconds, until told otherwise */
	const STORE = 'termgate.session.';	/* sessionStorage key prefix */
	const SEARCH_DELAY = 250;		/* ms of quiet before a search */
	const PAGE = 50;			/* history rows a request */
	const CONFIRM_MS = 4000;		/* a delete awaits its second click */

	/* Sessions this window shows: id -> {id, token, url, host_id,
	 * host_name, mode, interval, timer, panel, tab, win, ended}. */
	const attached = new Map();
	let listTimer = null;
	let activeId = null;			/* the terminal tab shown */
	let hosts = [];

	const $ = (id) => document.getElementById(id);

	/* ---------- API ---------- */

	class ApiError extends Error {
		constructor(status, body) {
			super(body.message || 'Request failed');
			this.status = status;
			this.code = body.error || 'HTTP_' + status;
			this.body = body;
		}
	}

	/* The API's error of a failed RES whose body was TEXT. */
	function apiError(res, text) {
		let data = null;
		try {
			data = JSON.parse(text);
		} catch (e) {
			data = null;
		}
		if (data === null || typeof data.error !== 'string')
			data = { error: 'HTTP_' + res.status,
			    message: 'The server answered ' + res.status +
			    (res.statusText ? ' ' + res.statusText : '') + '.' };
		return new ApiError(res.status, data);
	}

	/*
	 * One call to the API. Resolves to the parsed JSON body (null when
	 * empty); rejects with an ApiError carrying the API's {error,
	 * message} (or a made-up one for network failures and non-JSON
	 * answers such as an nginx error page). OPTS.signal aborts it.
	 */
	async function api(method, path, body, opts) {
		const opt = {
			method: method,
			credentials: 'same-origin',
			cache: 'no-store',
			headers: { 'Accept': 'application/json' },
			signal: opts && opts.signal,
		};
		if (method !== 'GET') {
			opt.headers['Content-Type'] = 'application/json';
			if (body !== undefined)
				opt.body = JSON.stringify(body);
		}
		let res;
		try {
			res = await fetch(API + path, opt);
		} catch (e) {
			if (e.name === 'AbortError')
				throw e;
			throw new ApiError(0, { error: 'NETWORK',
			    message: 'Cannot reach the server.' });
		}
		const text = await res.text();
		if (!res.ok)
			throw apiError(res, text);
		return text === '' ? null : JSON.parse(text);
	}

	const sessionPath = (id) => '/sessions/' + encodeURIComponent(id);

	/* ---------- messages and small formatting ---------- */

	function showError(err) {
		const code = err instanceof ApiError ? err.code : 'ERROR';
		$('error-text').textContent = (err.message || String(err)) +
		    ' (' + code + ')';
		$('error').hidden = false;
	}

	function clearError() {
		$('error').hidden = true;
		$('error-text').textContent = '';
	}

	/* Polite announcement for screen readers. */
	function announce(text) {
		$('status').textContent = text;
	}

	function duration(seconds) {
		const s = Math.max(0, Math.round(seconds || 0));
		if (s < 60)
			return s + ' s';
		if (s < 3600)
			return Math.floor(s / 60) + ' min';
		return Math.floor(s / 3600) + ' h ' +
		    Math.floor((s % 3600) / 60) + ' min';
	}

	/* A command's run time: "120 ms", "3.4 s", "2 min 5 s". */
	function runtime(ms) {
		if (ms === null || ms === undefined)
			return '';
		if (ms < 1000)
			return ms + ' ms';
		if (ms < 60000)
			return (ms / 1000).toFixed(1) + ' s';
		return Math.floor(ms / 60000) + ' min ' +
		    Math.round((ms % 60000) / 1000) + ' s';
	}

	/* "just now", "5 min ago", "3 d ago", or the date. */
	function ago(iso) {
		const t = Date.parse(iso);
		const s = Math.round((Date.now() - t) / 1000);
		if (isNaN(t))
			return '';
		if (s < 10)
			return 'just now';
		if (s < 60)
			return s + ' s ago';
		if (s < 3600)
			return Math.floor(s / 60) + ' min ago';
		if (s < 86400)
			return Math.floor(s / 3600) + ' h ago';
		if (s < 30 * 86400)
			return Math.floor(s / 86400) + ' d ago';
		return new Date(t).toLocaleDateString();
	}

	/* Control characters in caret notation (ESC as ^[, DEL as ^?), as
	 * a terminal user reads them; every font has those glyphs. */
	function visible(text) {
		return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g,
		    (c) => c === '\u007f' ? '^?' :
		    '^' + String.fromCharCode(0x40 + c.charCodeAt(0)));
	}

	/* What may be typed or copied: no control characters but tab and
	 * newline, no trailing newline (nothing runs by itself). */
	function typeable(text) {
		return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g,
		    '').replace(/\s+$/, '');
	}

	function button(label, onClick, extra) {
		const b = document.createElement('button');
		b.type = 'button';
		b.textContent = label;
		if (extra && extra.className)
			b.className = extra.className;
		if (extra && extra.ariaLabel)
			b.setAttribute('aria-label', extra.ariaLabel);
		if (extra && extra.title)
			b.title = extra.title;
		b.addEventListener('click', onClick);
		return b;
	}

	/* Runs an action of the user: clears the old error, shows a new one. */
	function act(fn) {
		return async function (ev) {
			clearError();
			try {
				await fn(ev);
			} catch (err) {
				showError(err);
			}
		};
	}

	/* ---------- hosts ---------- */

	async function loadHosts() {
		const data = await api('GET', '/hosts');
		const ul = $('hosts');
		hosts = data.hosts;
		ul.replaceChildren();
		$('hosts-empty').hidden = data.hosts.length > 0;
		for (const h of data.hosts) {
			const li = document.createElement('li');
			const name = document.createElement('span');
			name.className = 'name';
			name.textContent = h.name;
			name.title = h.id + ' (' + h.address + ')';
			li.append(name,
			    button('Open', act(() => openSession(h.id, 'embedded')),
			    { ariaLabel: 'Open a terminal on ' + h.name }),
			    button('Pop out', act(() => openSession(h.id, 'popout')),
			    { ariaLabel: 'Open a terminal on ' + h.name +
			    ' in a new window' }));
			ul.append(li);
		}
		fillHostFilter();
	}

	/* ---------- opening ---------- */

	/*
	 * Opens (or reuses) a session on HOSTID in MODE. OPTS: reuse
	 * (default true) and on_limit ('error' or 'close_oldest'). A popout
	 * window is opened at once, while the click still counts as a user
	 * gesture, and pointed at the terminal when the API has answered.
	 */
	async function openSession(hostId, mode, opts) {
		opts = Object.assign({ reuse: true, on_limit: 'error' }, opts);
		let win = null;
		if (mode === 'popout') {
			win = window.open('', '_blank');
			if (!win)
				throw new ApiError(0, { error: 'POPUP_BLOCKED',
				    message: 'The browser blocked the new window: ' +
				    'allow pop-ups for this site, or use Open.' });
		}
		let s;
		try {
			s = await api('POST', '/sessions', { host_id: hostId,
			    mode: mode, reuse: opts.reuse,
			    on_limit: opts.on_limit });
		} catch (err) {
			if (win)
				win.close();
			if (err instanceof ApiError && err.code === 'SESSION_LIMIT') {
				showLimit(err.body, hostId, mode);
				return;
			}
			throw err;
		}
		announce((s.reused ? 'Reconnected to ' : 'Opened ') +
		    s.host_name + '.');
		if (mode === 'popout')
			attachPopout(s, win);
		else
			attachEmbedded(s);
		await refreshSessions();
	}

	function remember(s) {
		let a = attached.get(s.session_id);
		if (!a) {
			a = { id: s.session_id, timer: null, panel: null,
			    win: null, ended: false };
			attached.set(a.id, a);
		}
		Object.assign(a, { token: s.token, url: s.url,
		    host_id: s.host_id, host_name: s.host_name, mode: s.mode,
		    interval: s.heartbeat_interval_seconds || DEFAULT_HEARTBEAT });
		return a;
	}

	function attachEmbedded(s) {
		const a = remember(s);
		if (!a.panel) {
			const frag = $('terminal-tpl').content.cloneNode(true);
			a.panel = frag.querySelector('.terminal');
			a.panel.dataset.session = a.id;
			a.panel.id = 'panel-' + a.id;
			a.panel.setAttribute('aria-labelledby', 'tab-' + a.id);
			a.panel.querySelector('.t-title').textContent = a.host_name;
			const frame = a.panel.querySelector('.t-frame');
			frame.title = 'Terminal on ' + a.host_name;
			frame.src = a.url;
			a.panel.querySelector('.t-close').setAttribute('aria-label',
			    'Close the terminal on ' + a.host_name);
			a.panel.querySelector('.t-close').addEventListener('click',
			    act(() => closeSession(a.id)));
			a.panel.querySelector('.t-full').addEventListener('click',
			    () => toggleFull(a));
			$('panels').append(a.panel);
			$('terminals-empty').hidden = true;
		}
		setState(a, 'active');
		startHeartbeat(a);
		selectTab(a.id);
		a.panel.querySelector('.t-frame').focus();
	}

	function attachPopout(s, win) {
		const a = remember(s);
		a.win = win;
		const data = JSON.stringify({ token: s.token, url: s.url,
		    host_name: s.host_name, interval: a.interval });
		try {
			/* The blank window is same-origin: hand it the token. */
			win.sessionStorage.setItem(STORE + s.session_id, data);
		} catch (e) {
			/* It then asks window.opener (see popoutMain). */
		}
		win.location.replace(new URL('./', location.href).href +
		    '#popout=' + s.session_id);
	}

	/* ---------- tabs and full screen ---------- */

	const embedded = () => [...attached.values()].filter((a) => a.panel);

	/* Shows session ID's terminal; the others stay connected, hidden. */
	function selectTab(id) {
		activeId = attached.has(id) ? id : null;
		for (const a of embedded())
			a.panel.classList.toggle('inactive', a.id !== activeId);
		renderTabs();
		historyContextChanged();
	}

	function renderTabs() {
		const bar = $('tabs');
		const list = embedded();
		bar.replaceChildren();
		bar.hidden = list.length === 0;
		for (const a of list) {
			const b = document.createElement('button');
			b.type = 'button';
			b.id = 'tab-' + a.id;
			b.setAttribute('role', 'tab');
			b.setAttribute('aria-controls', 'panel-' + a.id);
			b.setAttribute('aria-selected', String(a.id === activeId));
			b.tabIndex = a.id === activeId ? 0 : -1;
			b.textContent = a.host_name + (a.ended ? ' (ended)' : '');
			b.title = 'Terminal on ' + a.host_name;
			b.addEventListener('click', () => selectTab(a.id));
			b.addEventListener('keydown', tabKeys);
			bar.append(b);
		}
	}

	/* Arrow keys, Home and End move between tabs (ARIA tabs pattern). */
	function tabKeys(ev) {
		const tabs = [...$('tabs').querySelectorAll('[role=tab]')];
		const i = tabs.indexOf(ev.currentTarget);
		const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0,
		    End: tabs.length - 1 }[ev.key];
		if (to === undefined)
			return;
		ev.preventDefault();
		const t = tabs[(to + tabs.length) % tabs.length];
		selectTab(t.id.slice(4));
		$(t.id).focus();
	}

	/* The browser's full screen for A's panel, or a full window. */
	function toggleFull(a) {
		const el = a.panel;
		if (document.fullscreenElement === el) {
			document.exitFullscreen();
		} else if (el.classList.contains('maximized')) {
			el.classList.remove('maximized');
			fullLabels();
		} else if (el.requestFullscreen) {
			el.requestFullscreen().catch(() => {
				el.classList.add('maximized');
				fullLabels();
			});
		} else {
			el.classList.add('maximized');
			fullLabels();
		}
		focusTerminal(a);
	}

	function fullLabels() {
		for (const a of embedded()) {
			const on = document.fullscreenElement === a.panel ||
			    a.panel.classList.contains('maximized');
			const b = a.panel.querySelector('.t-full');
			b.textContent = on ? 'Exit full screen' : 'Full screen';
			b.setAttribute('aria-pressed', String(on));
		}
	}

	/* ---------- limit dialog ---------- */

	/*
	 * Shows a 429 SESSION_LIMIT: the active sessions (oldest first) and a
	 * button for each suggested action, then retries the open that hit
	 * the limit (HOSTID, MODE) the way the chosen action says.
	 */
	function showLimit(body, hostId, mode) {
		const dlg = $('limit');
		const sessions = body.active_sessions || [];
		const actions = body.suggested_actions || [];
		const retry = (opts) => act(async () => {
			dlg.close();
			await openSession(hostId, mode, opts);
		});

		$('limit-text').textContent = (body.message ||
		    'You have too many terminals open.') + ' Choose what to do:';
		const rows = $('limit-rows');
		rows.replaceChildren();
		for (const s of sessions) {
			const tr = document.createElement('tr');
			for (const text of [s.host_name, s.mode,
			    duration(s.age_seconds),
			    duration(s.last_seen_seconds) + ' ago']) {
				const td = document.createElement('td');
				td.textContent = text;
				tr.append(td);
			}
			const td = document.createElement('td');
			if (actions.includes('close_session:' + s.session_id))
				td.append(button('Close this one and open',
				    act(async () => {
					dlg.close();
					await closeSession(s.session_id);
					await openSession(hostId, mode);
				    }), { className: 'small', ariaLabel:
				    'Close the session on ' + s.host_name +
				    ' (' + s.mode + ', ' + duration(s.age_seconds) +
				    ' old) and open the new one' }));
			tr.append(td);
			rows.append(tr);
		}

		const box = $('limit-actions');
		box.replaceChildren();
		for (const action of actions) {
			if (action === 'reuse_existing') {
				const r = sessions.find((x) =>
				    x.session_id === body.reusable_session_id);
				const rmode = r ? r.mode : mode;
				box.append(button('Use my open terminal on ' +
				    (r ? r.host_name : hostId) + ' (' + rmode + ')',
				    act(async () => {
					dlg.close();
					await openSession(r ? r.host_id : hostId,
					    rmode, { reuse: true });
				    }), { className: 'primary' }));
			} else if (action === 'close_oldest' && sessions.length) {
				const o = sessions[0];
				box.append(button('Close the oldest (' + o.host_name +
				    ', ' + duration(o.age_seconds) + ') and open',
				    retry({ reuse: true, on_limit: 'close_oldest' })));
			}
			/* close_session:ID buttons are in the table rows. */
		}
		if (dlg.open)
			dlg.close();
		dlg.showModal();
	}

	/* ---------- heartbeats and beacons ---------- */

	function setState(a, text) {
		if (a.panel)
			a.panel.querySelector('.t-state').textContent = text;
	}

	function startHeartbeat(a) {
		clearInterval(a.timer);
		a.ended = false;
		a.timer = setInterval(() => heartbeat(a), a.interval * 1000);
	}

	/* Marks A as over: no more heartbeats, the panel says why. */
	function ended(a, why) {
		clearInterval(a.timer);
		a.timer = null;
		a.ended = true;
		setState(a, 'ended: ' + why);
		if (a.panel) {
			a.panel.classList.add('ended');
			const frame = a.panel.querySelector('.t-frame');
			if (frame.src !== 'about:blank')
				frame.src = 'about:blank';
			renderTabs();
		}
		announce('The terminal on ' + a.host_name + ' has ended (' +
		    why + ').');
	}

	async function heartbeat(a) {
		if (a.ended)
			return;
		try {
			const r = await api('POST', sessionPath(a.id) + '/heartbeat',
			    {});
			if (r.healthy)
				setState(a, 'active');
			else
				ended(a, r.reason_closed || r.status);
		} catch (err) {
			if (err.status === 404)
				ended(a, 'gone');
			else
				setState(a, 'no answer (' + err.code + '), retrying');
		}
	}

	function heartbeatAll() {
		for (const a of attached.values())
			if (a.panel)
				heartbeat(a);
	}

	/*
	 * On pagehide: tell the server this window no longer shows its
	 * terminals. The server closes them after a short grace unless a
	 * heartbeat comes first (a reload, or the page back from bfcache).
	 */
	function beaconAll() {
		for (const a of attached.values()) {
			if (a.ended || !a.token || !a.panel)
				continue;
			navigator.sendBeacon(API + sessionPath(a.id) + '/beacon',
			    new Blob([a.token], { type: 'text/plain' }));
		}
	}

	/* ---------- closing and the session list ---------- */

	async function closeSession(id) {
		await api('DELETE', sessionPath(id));
		const a = attached.get(id);
		if (a) {
			clearInterval(a.timer);
			if (a.panel)
				a.panel.remove();
			if (a.win && !a.win.closed)
				a.win.close();
			attached.delete(id);
		}
		$('terminals-empty').hidden = embedded().length > 0;
		if (activeId === id || activeId === null) {
			const next = embedded().pop();
			selectTab(next ? next.id : null);
		} else {
			renderTabs();
		}
		announce('Session closed.');
		await refreshSessions();
	}

	async function refreshSessions() {
		const data = await api('GET', '/sessions');
		const ul = $('sessions');
		ul.replaceChildren();
		$('sessions-empty').hidden = data.sessions.length > 0;
		$('sessions-count').textContent = '(' + data.sessions.length +
		    ' of ' + data.max_active + ')';
		const live = new Set();
		for (const s of data.sessions) {
			live.add(s.session_id);
			const li = document.createElement('li');
			const name = document.createElement('span');
			name.className = 'name';
			name.textContent = s.host_name;
			const info = document.createElement('span');
			info.className = 'muted s-info';
			info.textContent = s.mode + ', ' + s.status + ', opened ' +
			    duration(s.age_seconds) + ' ago, active ' +
			    duration(s.last_seen_seconds) + ' ago';
			li.append(name, info,
			    button('Show', act(() => show(s)), { className: 'small',
			    ariaLabel: 'Show the ' + s.mode + ' terminal on ' +
			    s.host_name }),
			    button('Close', act(() => closeSession(s.session_id)),
			    { className: 'small danger', ariaLabel: 'Close the ' +
			    s.mode + ' terminal on ' + s.host_name }));
			ul.append(li);
		}
		/* Ended elsewhere (another tab, close_oldest, the collector). */
		for (const a of attached.values())
			if (!a.ended && a.panel && !live.has(a.id))
				heartbeat(a);
	}

	/* Brings a live session to view: here, in its window, or reopened. */
	async function show(s) {
		const a = attached.get(s.session_id);
		if (a && a.panel && !a.ended) {
			selectTab(a.id);
			a.panel.scrollIntoView({ block: 'nearest' });
			focusTerminal(a);
			return;
		}
		if (a && a.win && !a.win.closed) {
			a.win.focus();
			return;
		}
		await openSession(s.host_id, s.mode, { reuse: true });
	}

	function scheduleList() {
		clearInterval(listTimer);
		listTimer = setInterval(() => {
			if (document.visibilityState === 'visible')
				refreshSessions().catch(showError);
		}, DEFAULT_HEARTBEAT * 1000);
	}

	/* ---------- typing into a terminal ---------- */

	/*
	 * Types TEXT into A's terminal without Enter: ttyd's page exposes
	 * its xterm.js as window.term (paste(), bracketed when the shell
	 * asked for it), shellinabox's its ShellInABox as window.shellinabox
	 * (keysPressed()). A multi-line command is typed only as a bracketed
	 * paste, which no shell runs before Enter. Returns '' or why not.
	 */
	function typeInto(a, text) {
		let win, t;
		try {
			win = a.panel.querySelector('.t-frame').contentWindow;
			t = win.term;
		} catch (e) {
			return 'its page is out of reach';
		}
		const lines = text.includes('\n');
		if (t && typeof t.paste === 'function') {
			if (lines && !(t.modes && t.modes.bracketedPasteMode))
				return 'it spans several lines and this shell ' +
				    'would run them at once: copy it instead';
			t.paste(text);
			return '';
		}
		const s = win && win.shellinabox;
		if (s && typeof s.keysPressed === 'function') {
			if (lines)
				return 'it spans several lines and this ' +
				    'terminal would run them at once: copy it instead';
			s.keysPressed(text);
			return '';
		}
		return 'the terminal is still loading';
	}

	/*
	 * Gives A's terminal the keyboard: its frame, then, inside, what the
	 * terminal reads keys from (ttyd's xterm.js, shellinabox's input).
	 * The frame's focus alone leaves its page's body focused, and keys
	 * typed there reach no shell.
	 */
	function focusTerminal(a) {
		const frame = a.panel.querySelector('.t-frame');
		frame.focus();
		try {
			const win = frame.contentWindow;
			if (win.term && typeof win.term.focus === 'function')
				win.term.focus();
			else if (win.shellinabox && win.shellinabox.input)
				win.shellinabox.input.focus();
		} catch (e) {
			/* a page out of reach: the frame's focus is all there is */
		}
	}

	/* The open terminal on HOSTID to type into: the tab shown if it is
	 * on that host, else the newest one there. */
	function terminalOn(hostId) {
		const list = embedded().filter((a) => !a.ended &&
		    a.host_id === hostId);
		return list.find((a) => a.id === activeId) || list.pop() || null;
	}

	/* ---------- command history ---------- */

	const hist = {
		open: false,
		seq: 0,			/* the newest request; older answers drop */
		abort: null,
		cursor: null,
		loading: false,
		shown: 0,
		timer: null,
		opener: null,
		observer: null,
		player: null,
		playerLoad: null,
	};

	/* The search's parameters, from the form. */
	function historyParams() {
		const p = new URLSearchParams();
		const q = $('h-q').value.trim();
		const exit = document.querySelector('input[name=h-exit]:checked');
		if (q)
			p.set('q', q);
		if ($('h-host').value)
			p.set('host_id', $('h-host').value);
		if ($('h-source').value)
			p.set('source', $('h-source').value);
		if (exit && exit.value)
			p.set('exit_status', exit.value);
		if ($('h-since').value)
			p.set('since', new Date($('h-since').value + 'T00:00:00')
			    .toISOString());
		if ($('h-until').value) {
			const d = new Date($('h-until').value + 'T00:00:00');
			d.setDate(d.getDate() + 1);
			p.set('until', d.toISOString());
		}
		if ($('h-session').checked && activeId)
			p.set('session_id', activeId);
		return p;
	}

	function filterCount() {
		const n = [...historyParams().keys()].filter((k) =>
		    k !== 'q').length;
		$('h-filter-count').textContent = n ? '(' + n + ' on)' : '';
		return n;
	}

	function fillHostFilter() {
		const sel = $('h-host');
		const keep = sel.value;
		while (sel.options.length > 1)
			sel.remove(1);
		for (const h of hosts) {
			const o = document.createElement('option');
			o.value = h.id;
			o.textContent = h.name;
			sel.append(o);
		}
		sel.value = keep;
	}

	function openHistory() {
		const panel = $('history');
		if (!hist.open) {
			hist.opener = document.activeElement;
			hist.open = true;
			panel.hidden = false;
			document.body.classList.add('history-open');
			$('history-toggle').setAttribute('aria-expanded', 'true');
			search();
			frequent();
		}
		$('h-q').focus();
		$('h-q').select();
	}

	function closeHistory() {
		if (!hist.open)
			return;
		hist.open = false;
		$('history').hidden = true;
		document.body.classList.remove('history-open');
		$('history-toggle').setAttribute('aria-expanded', 'false');
		const back = hist.opener && document.contains(hist.opener) ?
		    hist.opener : $('history-toggle');
		back.focus();
	}

	/* The active tab changed: "this session only" and the chips follow. */
	function historyContextChanged() {
		$('h-session').disabled = activeId === null;
		if (!hist.open)
			return;
		if ($('h-session').checked)
			search();
		frequent();
	}

	function scheduleSearch() {
		clearTimeout(hist.timer);
		hist.timer = setTimeout(search, SEARCH_DELAY);
	}

	function setStatus(text, busy) {
		$('h-status').textContent = text;
		$('h-list').setAttribute('aria-busy', String(!!busy));
	}

	/* A new search from the top: drops whatever was shown. */
	function search() {
		clearTimeout(hist.timer);
		hist.cursor = null;
		hist.shown = 0;
		$('h-list').replaceChildren();
		$('h-more').hidden = true;
		filterCount();
		return loadPage();
	}

	async function loadPage() {
		const seq = ++hist.seq;
		if (hist.abort)
			hist.abort.abort();
		hist.abort = new AbortController();
		hist.loading = true;
		const p = historyParams();
		p.set('limit', String(PAGE));
		if (hist.cursor)
			p.set('cursor', hist.cursor);
		setStatus(hist.shown ? 'Loading more…' : 'Searching…', true);
		let data;
		try {
			data = await api('GET', '/history?' + p, undefined,
			    { signal: hist.abort.signal });
		} catch (err) {
			if (seq === hist.seq && err.name !== 'AbortError')
				historyFailed(err);
			return;
		} finally {
			if (seq === hist.seq)
				hist.loading = false;
		}
		if (seq !== hist.seq)
			return;
		const q = p.get('q') || '';
		for (const item of data.items)
			$('h-list').append(historyRow(item, q));
		hist.shown += data.items.length;
		hist.cursor = data.next_cursor;
		$('h-more').hidden = !hist.cursor;
		if (hist.shown === 0)
			historyEmpty(q !== '' || filterCount() > 0);
		else
			setStatus(hist.shown + (hist.shown === 1 ? ' command' :
			    ' commands') + (hist.cursor ? ', more below' : ''));
		/* Still room on screen: fill it. */
		if (hist.cursor && moreVisible())
			loadPage();
	}

	function moreVisible() {
		const r = $('h-more').getBoundingClientRect();
		const box = $('history').getBoundingClientRect();
		return r.top < box.bottom + 200;
	}

	/* An empty list says why and what to do. */
	function historyEmpty(filtered) {
		const li = document.createElement('li');
		li.className = 'h-empty';
		if (filtered) {
			li.textContent = 'No command matches. Search for less, ' +
			    'or widen the filters. ';
			li.append(button('Clear search and filters', () => {
				$('h-q').value = '';
				clearFilters();
			}, { className: 'small' }));
		} else {
			li.textContent = 'No commands yet. Commands you run in a ' +
			    'terminal show up here once its shell reports them.';
		}
		$('h-list').append(li);
		setStatus(filtered ? 'No match' : 'No commands yet');
	}

	function historyFailed(err) {
		const li = document.createElement('li');
		li.className = 'h-empty h-failed';
		li.textContent = (err.message || String(err)) + ' (' +
		    (err.code || 'ERROR') + ') ';
		li.append(button('Try again', () => {
			li.remove();
			loadPage();
		}, { className: 'small' }));
		$('h-list').append(li);
		setStatus('The search failed: ' + err.message);
	}

	function clearFilters() {
		$('h-host').value = '';
		$('h-source').value = '';
		$('h-since').value = '';
		$('h-until').value = '';
		$('h-session').checked = false;
		document.querySelector('input[name=h-exit][value=""]').checked =
		    true;
		search();
		frequent();
	}

	/*
	 * Appends TEXT to EL with the matches of Q (the search, or re:PATTERN)
	 * in <mark>: elements and text nodes, never markup.
	 */
	function highlight(el, text, q) {
		const shown = visible(text);
		const spans = matches(shown, q);
		let at = 0;
		for (const [from, to] of spans) {
			el.append(shown.slice(at, from));
			const m = document.createElement('mark');
			m.textContent = shown.slice(from, to);
			el.append(m);
			at = to;
		}
		el.append(shown.slice(at));
	}

	/* [from, to) of each match of Q in TEXT, in order. */
	function matches(text, q) {
		const out = [];
		let re;
		if (!q)
			return out;
		if (q.startsWith('re:')) {
			let src = q.slice(3), flags = 'g';
			if (src.startsWith('(?i)')) {
				src = src.slice(4);
				flags += 'i';
			}
			try {
				re = new RegExp(src, flags);
			} catch (e) {
				return out;	/* PostgreSQL's dialect */
			}
		} else {
			re = new RegExp(q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
			    'gi');
		}
		let m;
		while ((m = re.exec(text)) !== null && out.length < 50) {
			if (m[0] === '') {
				re.lastIndex++;
				continue;
			}
			out.push([m.index, m.index + m[0].length]);
		}
		return out;
	}

	function exitBadge(el, status) {
		if (status === null) {
			el.textContent = '?';
			el.className = 'h-badge unknown';
			el.title = 'Exit status unknown (typed, or not finished)';
		} else {
			el.textContent = status === 0 ? 'ok' : 'exit ' + status;
			el.className = 'h-badge ' + (status === 0 ? 'ok' : 'failed');
			el.title = 'Exit status ' + status;
		}
	}

	/* One result row: the command, where and when, and what to do. */
	function historyRow(item, q) {
		const li = $('h-row-tpl').content.cloneNode(true)
		    .querySelector('.h-row');
		const host = item.host_name || item.host_id;
		li.dataset.id = item.id;
		highlight(li.querySelector('.h-text'), item.command, q);
		exitBadge(li.querySelector('.h-badge'), item.exit_status);
		li.querySelector('.h-host').textContent = host;
		li.querySelector('.h-cwd').textContent = item.cwd ?
		    visible(item.cwd) : '';
		const when = li.querySelector('.h-when');
		when.dateTime = item.started_at;
		when.textContent = ago(item.started_at);
		when.title = new Date(item.started_at).toLocaleString() + ' (' +
		    item.started_at + ')';
		li.querySelector('.h-dur').textContent = runtime(item.duration_ms);
		const label = ' "' + item.command.slice(0, 60) + '" on ' + host;
		const copy = li.querySelector('.h-copy');
		copy.setAttribute('aria-label', 'Copy' + label);
		copy.addEventListener('click', act(() => copyCommand(item)));
		const run = li.querySelector('.h-run');
		run.setAttribute('aria-label', 'Type' + label +
		    ' into its terminal, without Enter');
		run.addEventListener('click', act(() => runAgain(item)));
		const play = li.querySelector('.h-play');
		play.setAttribute('aria-label', 'Play the recording of' + label);
		play.disabled = !item.session_id;
		play.addEventListener('click', act(() => openRecording(item)));
		const del = li.querySelector('.h-del');
		del.setAttribute('aria-label', 'Delete' + label);
		del.addEventListener('click', act(() => deleteRow(item, li, del)));
		const fold = li.querySelector('.h-fold');
		fold.addEventListener('click', () => {
			const open = li.classList.toggle('unfolded');
			fold.textContent = open ? 'Show less' : 'Show all';
			fold.setAttribute('aria-expanded', String(open));
		});
		requestAnimationFrame(() => {
			const code = li.querySelector('.h-cmd');
			fold.hidden = code.scrollHeight <= code.clientHeight + 2;
		});
		return li;
	}

	async function copyCommand(item) {
		const text = typeable(item.command);
		try {
			await navigator.clipboard.writeText(text);
		} catch (e) {
			const ta = document.createElement('textarea');
			ta.value = text;
			document.body.append(ta);
			ta.select();
			const ok = document.execCommand('copy');
			ta.remove();
			if (!ok)
				throw new ApiError(0, { error: 'CLIPBOARD',
				    message: 'The browser refused the clipboard' });
		}
		setStatus('Copied.');
		announce('Copied the command.');
	}

	/* Types ITEM's command into the open terminal of its host. */
	async function runAgain(item) {
		const a = terminalOn(item.host_id);
		const host = item.host_name || item.host_id;
		if (!a)
			throw new ApiError(0, { error: 'NO_TERMINAL',
			    message: 'No open terminal on ' + host + ': open one ' +
			    'there first (Hosts), then run it again' });
		selectTab(a.id);
		const why = typeInto(a, typeable(item.command));
		if (why)
			throw new ApiError(0, { error: 'NOT_TYPED',
			    message: 'The command was not typed: ' + why });
		focusTerminal(a);
		announce('Typed into the terminal on ' + host +
		    '; press Enter there to run it.');
	}

	/* Two clicks: the first asks, the second deletes. */
	async function deleteRow(item, li, btn) {
		if (!btn.classList.contains('confirm')) {
			btn.classList.add('confirm');
			btn.textContent = 'Really delete?';
			setTimeout(() => {
				btn.classList.remove('confirm');
				btn.textContent = 'Delete';
			}, CONFIRM_MS);
			return;
		}
		await api('DELETE', '/history/' + encodeURIComponent(item.id));
		const next = li.nextElementSibling || li.previousElementSibling;
		li.remove();
		hist.shown--;
		setStatus('Deleted. An administrator can see that a command ' +
		    'was deleted, not which.');
		if (next && next.classList.contains('h-row'))
			next.focus();
		else
			$('h-q').focus();
		frequent();
	}

	/* The chips: the most used commands on the host in view. */
	async function frequent() {
		const host = $('h-host').value || (activeId &&
		    attached.get(activeId) ? attached.get(activeId).host_id : '');
		const box = $('h-frequent-box');
		if (!hist.open || !host) {
			box.hidden = true;
			return;
		}
		let data;
		try {
			data = await api('GET', '/history/frequent?limit=8&host_id=' +
			    encodeURIComponent(host));
		} catch (err) {
			box.hidden = true;
			return;
		}
		const h = hosts.find((x) => x.id === host);
		$('h-frequent-host').textContent = h ? h.name : host;
		const ul = $('h-frequent');
		ul.replaceChildren();
		for (const f of data.items) {
			const li = document.createElement('li');
			const b = button('', act(() => runAgain({ command: f.command,
			    host_id: host, host_name: h ? h.name : host })),
			    { className: 'chip', title: 'Used ' + f.count +
			    ' times, last ' + new Date(f.last_used).toLocaleString() +
			    '. Types it into the terminal on ' + (h ? h.name : host) +
			    ', without Enter.' });
			const code = document.createElement('code');
			code.textContent = visible(f.command);
			const n = document.createElement('span');
			n.className = 'chip-count';
			n.textContent = String(f.count);
			b.append(code, n);
			li.append(b);
			ul.append(li);
		}
		box.hidden = data.items.length === 0;
	}

	/* Up and Down move between rows; from the search box into them. */
	function historyKeys(ev) {
		const rows = [...$('h-list').querySelectorAll('.h-row')];
		const row = ev.target.closest && ev.target.closest('.h-row');
		let to = null;
		if (ev.target === $('h-q') && ev.key === 'ArrowDown')
			to = rows[0];
		else if (row && ev.key === 'ArrowDown')
			to = rows[rows.indexOf(row) + 1];
		else if (row && ev.key === 'ArrowUp')
			to = rows[rows.indexOf(row) - 1] || $('h-q');
		else if (row && ev.key === 'Home')
			to = rows[0];
		else if (row && ev.key === 'End')
			to = rows[rows.length - 1];
		if (!to)
			return;
		ev.preventDefault();
		to.focus();
	}

	function exportHistory() {
		const p = historyParams();
		p.set('format', 'csv');
		const a = document.createElement('a');
		a.href = API + '/history/export?' + p;
		a.download = 'termgate-history.csv';
		document.body.append(a);
		a.click();
		a.remove();
	}

	function wireHistory() {
		$('history-toggle').addEventListener('click', () =>
		    hist.open ? closeHistory() : openHistory());
		$('history-close').addEventListener('click', closeHistory);
		$('h-export').addEventListener('click', exportHistory);
		$('h-form').addEventListener('submit', (ev) => {
			ev.preventDefault();
			search();
		});
		$('h-q').addEventListener('input', scheduleSearch);
		for (const id of ['h-host', 'h-source', 'h-since', 'h-until',
		    'h-session'])
			$(id).addEventListener('change', () => {
				search();
				if (id === 'h-host')
					frequent();
			});
		for (const r of document.querySelectorAll('input[name=h-exit]'))
			r.addEventListener('change', search);
		$('h-clear').addEventListener('click', clearFilters);
		$('h-more').addEventListener('click', () => {
			if (!hist.loading)
				loadPage();
		});
		$('history').addEventListener('keydown', historyKeys);
		hist.observer = new IntersectionObserver((entries) => {
			if (entries.some((e) => e.isIntersecting) && hist.cursor &&
			    !hist.loading)
				loadPage();
		}, { root: $('history'), rootMargin: '0px 0px 200px 0px' });
		hist.observer.observe($('h-more'));
		$('h-session').disabled = true;
		/*
		 * Ctrl+R: keys typed in a terminal go to its frame's document,
		 * so a Ctrl+R that reaches this one was not meant for a shell's
		 * reverse search.
		 */
		document.addEventListener('keydown', (ev) => {
			if (ev.ctrlKey && !ev.altKey && !ev.metaKey &&
			    (ev.key === 'r' || ev.key === 'R')) {
				ev.preventDefault();
				openHistory();
			} else if (ev.key === 'Escape' && hist.open &&
			    !document.querySelector('dialog[open]') &&
			    $('history').contains(document.activeElement)) {
				closeHistory();
			}
		});
	}

	/* ---------- recordings ---------- */

	/* Loads asciinema-player (vendor/) once; rejects when it is not
	 * there. */
	function loadPlayer() {
		if (window.AsciinemaPlayer)
			return Promise.resolve();
		if (!hist.playerLoad)
			hist.playerLoad = new Promise((resolve, reject) => {
				const css = document.createElement('link');
				css.rel = 'stylesheet';
				css.href = 'vendor/asciinema-player.css';
				document.head.append(css);
				const s = document.createElement('script');
				s.src = 'vendor/asciinema-player.min.js';
				s.onload = () => resolve();
				s.onerror = () => {
					hist.playerLoad = null;
					s.remove();
					reject(new Error('The player ' +
					    '(vendor/asciinema-player.min.js) did ' +
					    'not load; make installs it with the ' +
					    'web client'));
				};
				document.head.append(s);
			});
		return hist.playerLoad;
	}

	/*
	 * Where ITEM starts in the recording TEXT, in seconds: its
	 * recording_offset, else its start less the recording's (the
	 * asciicast header's timestamp), else the beginning.
	 */
	function offsetIn(item, text) {
		if (typeof item.recording_offset === 'number')
			return item.recording_offset;
		try {
			const head = JSON.parse(text.slice(0, text.indexOf('\n')));
			const t = Date.parse(item.started_at) / 1000 - head.timestamp;
			if (typeof head.timestamp === 'number' && t >= 0)
				return t;
		} catch (e) {
			/* no header timestamp */
		}
		return 0;
	}

	function clock(s) {
		const m = Math.floor(s / 60);
		const r = Math.floor(s % 60);
		return m + ':' + (r < 10 ? '0' : '') + r;
	}

	/* Plays ITEM's session recording from the moment ITEM started. */
	async function openRecording(item) {
		const dlg = $('player');
		closePlayer();
		$('player-title').textContent = 'Recording on ' +
		    (item.host_name || item.host_id);
		$('player-command').textContent = visible(item.command);
		$('player-status').textContent = 'Loading the recording…';
		$('player-seek').hidden = true;
		dlg.showModal();
		let text;
		try {
			const res = await fetch(API + sessionPath(item.session_id) +
			    '/recording', { credentials: 'same-origin',
			    cache: 'no-store' });
			text = await res.text();
			if (!res.ok)
				throw apiError(res, text);
			await loadPlayer();
		} catch (err) {
			$('player-status').textContent = err.status === 404 ?
			    'This session has no recording: only sessions whose ' +
			    'terminal records (termgate-pty) have one.' :
			    'The recording could not be shown: ' + err.message;
			return;
		}
		const at = offsetIn(item, text);
		/* The frame at AT as the poster, then the player moved there:
		 * play goes on from the command, not from the start. No idle
		 * time is cut, or AT would point elsewhere. */
		hist.player = window.AsciinemaPlayer.create({ data: text },
		    $('player-box'), { startAt: at, poster: 'npt:' + at,
		    preload: true, autoPlay: false, fit: 'width',
		    idleTimeLimit: 1e9,
		    markers: [[at, typeable(item.command).slice(0, 80)]] });
		hist.playerAt = at;
		window.termgate.player = hist.player;
		await hist.player.seek(at);
		$('player-seek').hidden = false;
		$('player-status').textContent = 'At ' + clock(at) + ', where ' +
		    'the command starts. Space plays and pauses; the arrow ' +
		    'keys move.';
		const el = $('player-box').firstElementChild;
		if (el && el.focus)
			el.focus();
	}

	function closePlayer() {
		if (hist.player) {
			hist.player.dispose();
			hist.player = null;
			window.termgate.player = null;
		}
		$('player-box').replaceChildren();
	}

	function wirePlayer() {
		$('player-close').addEventListener('click', () =>
		    $('player').close());
		$('player-seek').addEventListener('click', () => {
			if (hist.player)
				hist.player.seek(hist.playerAt);
		});
		$('player').addEventListener('close', closePlayer);
	}

	/* ---------- popout window (index.html#popout=ID) ---------- */

	function popoutId() {
		const m = /^#popout=([0-9a-f]{64})$/.exec(location.hash);
		return m ? m[1] : null;
	}

	/*
	 * What the opener handed over (in sessionStorage, or still in the
	 * opener's memory), or null: then there is no token and no beacon.
	 */
	function popoutData(id) {
		try {
			const v = sessionStorage.getItem(STORE + id);
			if (v)
				return JSON.parse(v);
		} catch (e) {
			/* storage disabled */
		}
		try {
			const d = window.opener && window.opener.termgate &&
			    window.opener.termgate.sessionFor(id);
			if (d) {
				sessionStorage.setItem(STORE + id,
				    JSON.stringify(d));
				return d;
			}
		} catch (e) {
			/* no opener, or another origin */
		}
		return null;
	}

	async function popoutMain(id) {
		document.body.classList.add('popout');
		const panel = $('terminal-tpl').content.cloneNode(true)
		    .querySelector('.terminal');
		$('panels').append(panel);
		$('terminals-empty').hidden = true;

		let d = popoutData(id);
		if (!d || !d.url) {
			/* A reload in a browser that kept no storage: ask. */
			const s = await api('GET', sessionPath(id));
			d = { url: s.url, host_name: s.host_name,
			    interval: s.heartbeat_interval_seconds, token: null };
		}
		const a = remember({ session_id: id, token: d.token, url: d.url,
		    host_id: null, host_name: d.host_name, mode: 'popout',
		    heartbeat_interval_seconds: d.interval });
		a.panel = panel;
		document.title = d.host_name + ' - termgate';
		panel.querySelector('.t-title').textContent = d.host_name;
		const frame = panel.querySelector('.t-frame');
		frame.title = 'Terminal on ' + d.host_name;
		frame.src = d.url;
		panel.querySelector('.t-full').addEventListener('click',
		    () => toggleFull(a));
		panel.querySelector('.t-close').addEventListener('click',
		    act(async () => {
			await api('DELETE', sessionPath(id));
			ended(a, 'closed');
			window.close();
		    }));
		setState(a, 'active');
		startHeartbeat(a);
		await heartbeat(a);	/* also checks it is still alive */
		frame.focus();
	}

	/* ---------- start ---------- */

	function wire() {
		$('error-dismiss').addEventListener('click', clearError);
		$('sessions-refresh').addEventListener('click',
		    act(refreshSessions));
		$('limit').addEventListener('close', () => {
			$('limit-rows').replaceChildren();
			$('limit-actions').replaceChildren();
		});
		document.addEventListener('visibilitychange', () => {
			if (document.visibilityState !== 'visible')
				return;
			heartbeatAll();
			if (!popoutId())
				refreshSessions().catch(showError);
		});
		document.addEventListener('fullscreenchange', fullLabels);
		window.addEventListener('pagehide', beaconAll);
		/* Back from the back/forward cache: undo the beacon at once. */
		window.addEventListener('pageshow', (ev) => {
			if (ev.persisted)
				heartbeatAll();
		});
		wirePlayer();
	}

	async function main() {
		wire();
		const id = popoutId();
		try {
			if (id) {
				await popoutMain(id);
				return;
			}
			wireHistory();
			await Promise.all([loadHosts(), refreshSessions()]);
			scheduleList();
		} catch (err) {
			showError(err);
		}
	}

	/* For tests and for a popout whose storage was not handed over. */
	window.termgate = {
		sessionFor: (id) => {
			const a = attached.get(id);
			return a ? { token: a.token, url: a.url,
			    host_name: a.host_name, interval: a.interval } : null;
		},
		player: null,
	};

	main();
}());
