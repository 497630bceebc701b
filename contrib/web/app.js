/*
 * app.js - termgate's first web client. Plain JavaScript, no build step.
 *
 * The page lists the hosts (GET /api/terminal/hosts) and the user's live
 * sessions (GET /api/terminal/sessions), opens terminals (POST
 * /api/terminal/sessions) embedded in an iframe or in a popout window,
 * keeps them alive with heartbeats (every heartbeat_interval_seconds and at
 * once when the tab becomes visible again), sends a beacon when the page
 * goes away, offers the choices of a 429 SESSION_LIMIT in a dialog, and
 * closes sessions (DELETE). Every API error is shown with its message.
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

	/* Sessions this window shows: id -> {id, token, url, host_id,
	 * host_name, mode, interval, timer, panel, win, ended}. */
	const attached = new Map();
	let listTimer = null;

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

	/*
	 * One call to the API. Resolves to the parsed JSON body (null when
	 * empty); rejects with an ApiError carrying the API's {error,
	 * message} (or a made-up one for network failures and non-JSON
	 * answers such as an nginx error page).
	 */
	async function api(method, path, body) {
		const opt = {
			method: method,
			credentials: 'same-origin',
			cache: 'no-store',
			headers: { 'Accept': 'application/json' },
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
			throw new ApiError(0, { error: 'NETWORK',
			    message: 'Cannot reach the server.' });
		}
		const text = await res.text();
		let data = null;
		if (text !== '') {
			try {
				data = JSON.parse(text);
			} catch (e) {
				data = null;
			}
		}
		if (!res.ok) {
			if (data === null || typeof data.error !== 'string')
				data = { error: 'HTTP_' + res.status,
				    message: 'The server answered ' + res.status +
				    (res.statusText ? ' ' + res.statusText : '') +
				    '.' };
			throw new ApiError(res.status, data);
		}
		return data;
	}

	const sessionPath = (id) => '/sessions/' + encodeURIComponent(id);

	/* ---------- messages ---------- */

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

	function button(label, onClick, extra) {
		const b = document.createElement('button');
		b.type = 'button';
		b.textContent = label;
		if (extra && extra.className)
			b.className = extra.className;
		if (extra && extra.ariaLabel)
			b.setAttribute('aria-label', extra.ariaLabel);
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
			a.panel.querySelector('.t-title').textContent = a.host_name;
			const frame = a.panel.querySelector('.t-frame');
			frame.title = 'Terminal on ' + a.host_name;
			frame.src = a.url;
			a.panel.querySelector('.t-close').setAttribute('aria-label',
			    'Close the terminal on ' + a.host_name);
			a.panel.querySelector('.t-close').addEventListener('click',
			    act(() => closeSession(a.id)));
			$('terminals').append(a.panel);
			$('terminals-empty').hidden = true;
		}
		setState(a, 'active');
		startHeartbeat(a);
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
		$('terminals-empty').hidden = [...attached.values()]
		    .some((x) => x.panel);
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
			info.className = 'muted';
			info.textContent = s.mode + ', ' + s.status + ', ' +
			    duration(s.age_seconds) + ' old';
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
			a.panel.scrollIntoView({ block: 'nearest' });
			a.panel.querySelector('.t-frame').focus();
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
		$('terminals').append(panel);
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
		window.addEventListener('pagehide', beaconAll);
		/* Back from the back/forward cache: undo the beacon at once. */
		window.addEventListener('pageshow', (ev) => {
			if (ev.persisted)
				heartbeatAll();
		});
	}

	async function main() {
		wire();
		const id = popoutId();
		try {
			if (id) {
				await popoutMain(id);
				return;
			}
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
	};

	main();
}());
