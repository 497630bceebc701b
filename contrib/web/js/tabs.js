/*
 * tabs.js - the terminals this window shows, and their tabs: the one
 * registry of attached sessions (id -> {id, token, url, host_id,
 * host_name, mode, interval, timer, retry, fails, panel, win, unwatch,
 * reconnecting, ended, shared, share}; shared is false, or "view" or
 * "control" for another user's terminal opened by a share link
 * (shares.js), and share is set on an admin's watch or join of another
 * user's session (watch.js): neither is a session of this user, so no
 * heartbeat, no beacon, not kept over a reload), which tab is
 * shown, the tab bar (the ARIA tabs pattern), each panel's state line,
 * and full screen. Who wants to know when the shown tab changes says so
 * with onSelect().
 */
import { $ } from './dom.js';
import { tabTarget } from './nav.js';
import { focusTerminal } from './terminal.js';

export const DEFAULT_HEARTBEAT = 30;	/* seconds, until told otherwise */
/* sessionStorage key: this window's tabs, for the page that reloads it. */
const TABS = 'termgate.tabs';

export const attached = new Map();
let activeId = null;			/* the terminal tab shown */
const listeners = [];

/* The session of the tab shown, or null. */
export const active = () => activeId;

/* The sessions shown in this page (not in a window of their own). */
export const embedded = () => [...attached.values()].filter((a) => a.panel);

/* FN() is called whenever the tab shown changes. */
export function onSelect(fn) {
	listeners.push(fn);
}

/* The registry's entry of session S (an API answer), made or updated. */
export function remember(s) {
	let a = attached.get(s.session_id);
	if (!a) {
		a = { id: s.session_id, timer: null, retry: null, fails: 0,
		    panel: null, win: null, unwatch: null,
		    reconnecting: false, ended: false, share: null };
		attached.set(a.id, a);
	}
	Object.assign(a, { token: s.token, url: s.url,
	    host_id: s.host_id, host_name: s.host_name, mode: s.mode,
	    interval: s.heartbeat_interval_seconds || DEFAULT_HEARTBEAT,
	    shared: s.shared || false });
	return a;
}

/* A's panel's state line. */
export function setState(a, text) {
	if (a.panel)
		a.panel.querySelector('.t-state').textContent = text;
}

export const frameOf = (a) => a.panel.querySelector('.t-frame');

/* Shows session ID's terminal; the others stay connected, hidden. */
export function selectTab(id) {
	activeId = attached.has(id) ? id : null;
	for (const a of embedded())
		a.panel.classList.toggle('inactive', a.id !== activeId);
	renderTabs();
	saveTabs();
	for (const fn of listeners)
		fn();
}

/*
 * Keeps this window's live tabs (what an open answered: the token, for
 * the beacon, and the terminal's URL, whose cookie the browser keeps) in
 * its sessionStorage, which a reload of the page keeps and no other
 * window sees: the new page brings them back (savedTabs), with the same
 * shells, the holders having kept them.
 */
export function saveTabs() {
	const tabs = embedded().filter((a) => !a.ended && !a.shared &&
	    !a.share)
	    .map((a) => ({
	    session_id: a.id, token: a.token, url: a.url,
	    host_id: a.host_id, host_name: a.host_name, mode: a.mode,
	    heartbeat_interval_seconds: a.interval }));
	try {
		sessionStorage.setItem(TABS, JSON.stringify({ tabs,
		    active: activeId }));
	} catch (e) {
		/* No storage (private mode, full): a reload loses the tabs. */
	}
}

/* What saveTabs kept before this page loaded: {tabs, active}. */
export function savedTabs() {
	try {
		const v = JSON.parse(sessionStorage.getItem(TABS) || 'null');
		if (v && Array.isArray(v.tabs))
			return v;
	} catch (e) {
		/* Unreadable: none. */
	}
	return { tabs: [], active: null };
}

/*
 * Takes session ID's tab away: its panel, its window, its entry; then
 * shows another tab if it was the one shown. The caller has stopped
 * what kept it (heartbeats, unwatch).
 */
export function forget(id) {
	const a = attached.get(id);
	if (a) {
		if (a.panel)
			a.panel.remove();
		if (a.win && !a.win.closed)
			a.win.close();
		attached.delete(id);
	}
	saveTabs();
	$('terminals-empty').hidden = embedded().length > 0;
	if (activeId === id || activeId === null) {
		const next = embedded().pop();
		selectTab(next ? next.id : null);
	} else {
		renderTabs();
	}
}

export function renderTabs() {
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

/* Arrow keys, Home and End move between tabs. */
function tabKeys(ev) {
	const tabs = [...$('tabs').querySelectorAll('[role=tab]')];
	const to = tabTarget(ev.key, tabs.indexOf(ev.currentTarget),
	    tabs.length);
	if (to === null)
		return;
	ev.preventDefault();
	const t = tabs[to];
	selectTab(t.id.slice(4));
	$(t.id).focus();
}

/* The open terminal on HOSTID to type into: the tab shown if it is on
 * that host, else the newest one there; null when there is none. */
export function terminalOn(hostId) {
	const list = embedded().filter((a) => !a.ended &&
	    a.host_id === hostId);
	return list.find((a) => a.id === activeId) || list.pop() || null;
}

/* The browser's full screen for A's panel, or a full window. */
export function toggleFull(a) {
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
	focusTerminal(frameOf(a));
}

/* Each full screen button says what it does now. */
export function fullLabels() {
	for (const a of embedded()) {
		const on = document.fullscreenElement === a.panel ||
		    a.panel.classList.contains('maximized');
		const b = a.panel.querySelector('.t-full');
		b.textContent = on ? 'Exit full screen' : 'Full screen';
		b.setAttribute('aria-pressed', String(on));
	}
}
