/*
 * sessions.js - the user's hosts and sessions: lists them (GET hosts,
 * GET sessions), opens terminals (POST sessions) here, one tab each, or
 * in a popout window, keeps them attached (a terminal whose connection
 * is gone is loaded again, terminal.js's keepAttached) and alive with
 * heartbeats (every heartbeat_interval_seconds, at once when the page is
 * visible or online again or its terminal reattached, and a failed one
 * again soon), sends a beacon when the page goes away, offers the
 * choices of a 429 SESSION_LIMIT (limit.js), and closes sessions
 * (DELETE).
 *
 * Only the open call returns a session's token; the registry (tabs.js)
 * keeps it in memory, and a popout's window in its sessionStorage under
 * STORE + id, for the beacon: the one call authenticated by token
 * instead of by the user.
 */
import { api, ApiError, beacon, sessionPath } from './api.js';
import { $, act, announce, button, showError } from './dom.js';
import { showLimit } from './limit.js';
import { attached, DEFAULT_HEARTBEAT, forget, frameOf,
    remember, renderTabs, saveTabs, savedTabs, selectTab, setState,
    toggleFull } from './tabs.js';
import { focusTerminal, keepAttached } from './terminal.js';
import { redeem, showViewers, wireShares } from './shares.js';
import { duration } from './time.js';

export const STORE = 'termgate.session.';	/* sessionStorage key prefix */

let listTimer = null;

/* Lists the hosts the user may open; resolves to them (GET hosts). */
export async function loadHosts() {
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
	return data.hosts;
}

/*
 * Opens (or reuses) a session on HOSTID in MODE. OPTS: reuse (default
 * true) and on_limit ('error' or 'close_oldest'). A popout window is
 * opened at once, while the click still counts as a user gesture, and
 * pointed at the terminal when the API has answered.
 */
export async function openSession(hostId, mode, opts) {
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
		    mode: mode, reuse: opts.reuse, on_limit: opts.on_limit });
	} catch (err) {
		if (win)
			win.close();
		if (err instanceof ApiError && err.code === 'SESSION_LIMIT') {
			showLimit(err.body, hostId, mode,
			    { open: openSession, close: closeSession });
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

/* A's panel, made from the page's template; its Close button calls
 * ONCLOSE. */
function makePanel(a, onClose) {
	const frag = $('terminal-tpl').content.cloneNode(true);
	const panel = frag.querySelector('.terminal');
	panel.dataset.session = a.id;
	panel.id = 'panel-' + a.id;
	panel.setAttribute('aria-labelledby', 'tab-' + a.id);
	panel.querySelector('.t-title').textContent = a.host_name;
	const frame = panel.querySelector('.t-frame');
	frame.title = 'Terminal on ' + a.host_name;
	frame.src = a.url;
	const close = panel.querySelector('.t-close');
	close.setAttribute('aria-label', 'Close the terminal on ' +
	    a.host_name);
	close.addEventListener('click', act(onClose));
	panel.querySelector('.t-full').addEventListener('click',
	    () => toggleFull(a));
	return panel;
}

/*
 * Shows A (tabs.js's entry) in a tab and a panel of its own, kept
 * attached (watch), and selects it; the panel's Close button calls
 * ONCLOSE. Its terminal is the page at a.url.
 */
export function showPanel(a, onClose) {
	if (!a.panel) {
		a.panel = makePanel(a, onClose);
		$('panels').append(a.panel);
		$('terminals-empty').hidden = true;
		watch(a, frameOf(a));
	}
	selectTab(a.id);
	frameOf(a).focus();
}

/*
 * Opens another user's terminal shared by the link of TOKEN (shares.js
 * redeems it) in a tab: no heartbeat, no beacon, no close (the session
 * is its owner's); closing the tab only leaves it.
 */
export async function openShared(token) {
	const a = remember(await redeem(token));

	showPanel(a, () => closeSession(a.id));
	setState(a, a.shared === 'view' ? 'read-only' : 'shared');
	return a;
}

function attachEmbedded(s) {
	const a = remember(s);
	const fresh = !a.panel;

	showPanel(a, () => closeSession(a.id));
	if (fresh)
		wireShares(a);
	setState(a, 'active');
	startHeartbeat(a);
	return a;
}

/*
 * The page was reloaded: the tabs the old one showed (savedTabs) whose
 * sessions are still live come back, each reattached to its shell, and
 * a heartbeat at once undoes the beacon the old page sent on its way
 * out (the server would end them beacon_grace seconds after it).
 * LIVE: the user's live sessions (GET sessions).
 */
export function restoreTabs(live) {
	const ids = new Set(live.map((s) => s.session_id));
	const saved = savedTabs();
	for (const s of saved.tabs)
		if (ids.has(s.session_id) && s.mode === 'embedded')
			heartbeat(attachEmbedded(s));
	if (saved.active && attached.has(saved.active))
		selectTab(saved.active);
	saveTabs();
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
		/* It then asks window.opener (see popout.js). */
	}
	win.location.replace(new URL('./', location.href).href +
	    '#popout=' + s.session_id);
}

/* What a popout of session ID whose storage was not handed over asks
 * its opener for (window.termgate.sessionFor), or null. */
export function sessionFor(id) {
	const a = attached.get(id);
	return a ? { token: a.token, url: a.url, host_name: a.host_name,
	    interval: a.interval } : null;
}

/*
 * Keeps A's terminal in FRAME attached (keepAttached): the same session,
 * whose holder kept the shell; its state line says so while it is
 * reconnecting, and a heartbeat goes out as soon as it is back.
 */
export function watch(a, frame) {
	if (a.unwatch)
		a.unwatch();
	a.unwatch = keepAttached(frame, a.url, (st) => {
		a.reconnecting = st === 'reconnecting';
		if (a.reconnecting) {
			setState(a, 'reconnecting');
			announce('The terminal on ' + a.host_name +
			    ' lost its connection; reconnecting.');
			return;
		}
		setState(a, 'active');
		announce('The terminal on ' + a.host_name +
		    ' is connected again.');
		heartbeat(a);
	});
}

function unwatch(a) {
	if (a.unwatch)
		a.unwatch();
	a.unwatch = null;
}

/* ---------- heartbeats and beacons ---------- */

/* After a heartbeat that got no answer, the next one this much later
 * (the last one again after that), or at the interval when sooner. */
const RETRY_MS = [1000, 2000, 5000];

export function startHeartbeat(a) {
	clearInterval(a.timer);
	a.ended = false;
	a.timer = setInterval(() => heartbeat(a), a.interval * 1000);
}

/* Marks A as over: no more heartbeats, the panel says why. */
export function ended(a, why) {
	clearInterval(a.timer);
	clearTimeout(a.retry);
	unwatch(a);
	a.timer = null;
	a.ended = true;
	saveTabs();
	setState(a, 'ended: ' + why);
	if (a.panel) {
		a.panel.classList.add('ended');
		const frame = frameOf(a);
		if (frame.src !== 'about:blank')
			frame.src = 'about:blank';
		renderTabs();
	}
	announce('The terminal on ' + a.host_name + ' has ended (' +
	    why + ').');
}

/*
 * One heartbeat for A. One that gets no answer (the network or the
 * server gone for a while) is sent again after a back-off (RETRY_MS),
 * so that a session outlives a network drop shorter than idle_timeout
 * and is seen again as soon as the network is back.
 */
export async function heartbeat(a) {
	/* (a watch, a.share, or a shared terminal, a.shared, is not this
	 * user's session) */
	if (a.ended || a.share || a.shared)
		return;
	clearTimeout(a.retry);
	a.retry = null;
	try {
		const r = await api('POST', sessionPath(a.id) + '/heartbeat',
		    {});
		a.fails = 0;
		if (r.healthy)
			setState(a, a.reconnecting ? 'reconnecting' : 'active');
		else
			ended(a, r.reason_closed || r.status);
	} catch (err) {
		if (err.status === 404) {
			ended(a, 'gone');
			return;
		}
		setState(a, 'no answer (' + err.code + '), retrying');
		const n = a.fails || 0;
		a.fails = n + 1;
		clearTimeout(a.retry);
		a.retry = setTimeout(() => heartbeat(a), Math.min(a.interval *
		    1000, RETRY_MS[Math.min(n, RETRY_MS.length - 1)]));
	}
}

export function heartbeatAll() {
	for (const a of attached.values())
		if (a.panel)
			heartbeat(a);
}

/*
 * On pagehide: tell the server this window no longer shows its
 * terminals. The server closes them after a short grace unless a
 * heartbeat comes first (a reload, or the page back from bfcache).
 */
export function beaconAll() {
	for (const a of attached.values())
		if (!a.ended && a.token && a.panel)
			beacon(a.id, a.token);
}

/* ---------- closing and the session list ---------- */

export async function closeSession(id) {
	const a = attached.get(id);
	if (!a || !a.shared)
		await api('DELETE', sessionPath(id));
	if (a) {
		clearInterval(a.timer);
		clearTimeout(a.retry);
		unwatch(a);
	}
	forget(id);
	announce(a && a.shared ? 'Left the shared terminal.' :
	    'Session closed.');
	await refreshSessions();
}

/* One row of the session list, for session S. */
function sessionRow(s) {
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
	    ariaLabel: 'Show the ' + s.mode + ' terminal on ' + s.host_name }),
	    button('Close', act(() => closeSession(s.session_id)),
	    { className: 'small danger', ariaLabel: 'Close the ' + s.mode +
	    ' terminal on ' + s.host_name }));
	return li;
}

/* Lists the user's live sessions; resolves to them. */
export async function refreshSessions() {
	const data = await api('GET', '/sessions');
	$('sessions').replaceChildren(...data.sessions.map(sessionRow));
	$('sessions-empty').hidden = data.sessions.length > 0;
	$('sessions-count').textContent = '(' + data.sessions.length +
	    ' of ' + data.max_active + ')';
	const live = new Set(data.sessions.map((s) => s.session_id));
	showViewers(data.sessions);
	/* Ended elsewhere (another tab, close_oldest, the collector). */
	for (const a of attached.values())
		if (!a.ended && a.panel && !live.has(a.id))
			heartbeat(a);
	return data.sessions;
}

/* Brings a live session to view: here, in its window, or reopened. */
async function show(s) {
	const a = attached.get(s.session_id);
	if (a && a.panel && !a.ended) {
		selectTab(a.id);
		a.panel.scrollIntoView({ block: 'nearest' });
		focusTerminal(frameOf(a));
		return;
	}
	if (a && a.win && !a.win.closed) {
		a.win.focus();
		return;
	}
	await openSession(s.host_id, s.mode, { reuse: true });
}

/* Refreshes the list now and then while the page is visible. */
export function scheduleList() {
	clearInterval(listTimer);
	listTimer = setInterval(() => {
		if (document.visibilityState === 'visible')
			refreshSessions().catch(showError);
	}, DEFAULT_HEARTBEAT * 1000);
}
