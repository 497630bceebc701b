/*
 * live.js - the console's session list: every user's sessions on every
 * node (GET admin/sessions), polled every few seconds while the console
 * is shown, filtered and sorted here (ops.js), with what an admin may
 * do to each: watch, join (watch.js), play its recording with its
 * commands (replay.js), terminate with a reason (the #terminate dialog,
 * DELETE admin/sessions/ID with {"reason"}).
 */
import { api } from './api.js';
import { $, act, announce, button, showError } from './dom.js';
import { clientsOf, filterSessions, LIVE, sortSessions } from './ops.js';
import { openReplay } from './replay.js';
import { duration } from './time.js';
import { watchSession } from './watch.js';

const POLL_MS = 3000;		/* between two reads of the list */

const lv = { rows: [], sort: 'age', dir: 'ascending', timer: null,
    seq: 0, shown: false, ending: null, watched: () => {} };

const adminPath = (id) => '/admin/sessions/' + encodeURIComponent(id);

/* The filter fields. */
function filters() {
	return { user: $('c-user').value, host: $('c-host').value,
	    node: $('c-node').value, status: $('c-status').value };
}

/* The sessions the status filter needs from the server (the others are
 * filtered here): live ones with two reads, else one. */
async function fetchRows(status) {
	const get = (st) => api('GET', '/admin/sessions?limit=1000' +
	    (st ? '&status=' + st : '')).then((d) => d.sessions);
	if (status === 'live')
		return (await Promise.all(LIVE.map(get))).flat();
	return get(status);
}

/* Reads the list again; an answer to an older read drops. */
export async function pollSessions() {
	const seq = ++lv.seq;
	const rows = await fetchRows($('c-status').value);
	if (seq !== lv.seq)
		return;
	lv.rows = rows;
	render();
}

/* One cell of TEXT (TITLE on hover). */
function cell(text, title) {
	const td = document.createElement('td');
	td.textContent = text;
	if (title)
		td.title = title;
	return td;
}

/* The buttons of session S; each has a key its focus survives a
 * redraw by. */
function actions(s) {
	const td = document.createElement('td');
	td.className = 'c-actions';
	const live = LIVE.includes(s.status);
	const who = s.username + "'s terminal on " + s.host_name;
	const add = (label, fn, extra) => {
		const b = button(label, act(fn), Object.assign(
		    { className: 'small' }, extra));
		b.dataset.key = s.session_id + ':' + label;
		td.append(b);
		return b;
	};
	if (live) {
		add('Watch', () => watch(s, 'view'),
		    { ariaLabel: 'Watch ' + who + ', read-only' });
		add('Join', () => watch(s, 'control'),
		    { ariaLabel: 'Join ' + who + ' and type into it' });
	}
	add('Recording', () => openReplay(s),
	    { ariaLabel: 'Play the recording of ' + who +
	    ' with its commands' });
	if (live)
		add('Terminate', () => askTerminate(s), { className:
		    'small danger', ariaLabel: 'Terminate ' + who });
	return td;
}

/* Watches or joins S in a tab; the caller's WATCHED shows it. */
async function watch(s, mode) {
	await watchSession(s, mode);
	lv.watched();
}

function row(s) {
	const tr = document.createElement('tr');
	tr.dataset.session = s.session_id;
	const c = clientsOf(s);
	tr.append(cell(s.username), cell(s.host_name, s.host_id),
	    cell(s.node), cell(s.mode), cell(s.status),
	    cell(duration(s.age_seconds), s.created_at),
	    cell(duration(s.last_seen_seconds), 'last heard of ' +
	    s.last_seen_at), cell(c.text), actions(s));
	return tr;
}

/* Draws the rows the filters keep, in order; the focus stays on the
 * button it was on. */
function render() {
	const body = $('c-rows');
	const had = body.contains(document.activeElement) ?
	    document.activeElement.dataset.key : null;
	const list = sortSessions(filterSessions(lv.rows, filters()),
	    lv.sort, lv.dir);
	body.replaceChildren(...list.map(row));
	$('c-empty').hidden = list.length > 0;
	$('c-count').textContent = list.length + ' of ' + lv.rows.length;
	if (had) {
		const b = body.querySelector('[data-key="' + CSS.escape(had) +
		    '"]');
		if (b)
			b.focus();
	}
	for (const th of document.querySelectorAll('#c-table th[data-sort]'))
		th.setAttribute('aria-sort', th.dataset.sort === lv.sort ?
		    lv.dir : 'none');
}

/* A column's header was clicked: by it, or the other way. */
function sortBy(key) {
	if (lv.sort === key) {
		lv.dir = lv.dir === 'ascending' ? 'descending' : 'ascending';
	} else {
		lv.sort = key;
		lv.dir = 'ascending';
	}
	render();
}

function askTerminate(s) {
	lv.ending = s;
	$('terminate-text').textContent = 'Terminate ' + s.username +
	    "'s terminal on " + s.host_name + ' (node ' + s.node + ')? ' +
	    'Its shell is ended; the user sees it end.';
	$('terminate-reason').value = '';
	$('terminate').showModal();
	$('terminate-reason').focus();
}

async function terminate() {
	const s = lv.ending;
	const reason = $('terminate-reason').value.trim();
	$('terminate').close();
	await api('DELETE', adminPath(s.session_id),
	    reason ? { reason } : undefined);
	announce('Terminated ' + s.username + "'s terminal on " +
	    s.host_name + '.');
	await pollSessions();
}

/* Starts (ON) or stops polling; the console shows it or not. */
export function showSessions(on) {
	lv.shown = on;
	clearInterval(lv.timer);
	lv.timer = null;
	if (!on)
		return;
	pollSessions().catch(showError);
	lv.timer = setInterval(() => {
		if (document.visibilityState === 'visible')
			pollSessions().catch(showError);
	}, POLL_MS);
}

/* Wires the list; WATCHED() is called when a watch or join opened a
 * terminal tab (the console then makes way for it). */
export function wireLive(watched) {
	lv.watched = watched;
	for (const id of ['c-user', 'c-host', 'c-node'])
		$(id).addEventListener('input', render);
	$('c-status').addEventListener('change', act(pollSessions));
	for (const th of document.querySelectorAll('#c-table th[data-sort]'))
		th.querySelector('button').addEventListener('click',
		    () => sortBy(th.dataset.sort));
	$('terminate-form').addEventListener('submit', (ev) => {
		ev.preventDefault();
		act(terminate)();
	});
	$('terminate-cancel').addEventListener('click',
	    () => $('terminate').close());
}
