/*
 * audit.js - the console's audit trail: termgate.session_events of
 * every user (GET admin/events, doc/api.md), filtered by user, host,
 * kind and days (ops.js's auditParams), newest first, a page at a time
 * by its cursor (next_before), and the same filters exported as CSV.
 * An event of a session can play its recording (replay.js).
 */
import { API, api } from './api.js';
import { $, act, button } from './dom.js';
import { auditParams } from './ops.js';
import { openReplay } from './replay.js';
import { visible } from './text.js';

const PAGE = 50;

const au = { next: null, seq: 0 };

function params() {
	return auditParams({ user: $('a-user').value, host: $('a-host').value,
	    kind: $('a-kind').value, since: $('a-since').value,
	    until: $('a-until').value });
}

function cell(text) {
	const td = document.createElement('td');
	td.textContent = text === null || text === undefined ? '' : text;
	return td;
}

/* One event's row; its detail as compact JSON, shown as text. */
function row(e) {
	const tr = document.createElement('tr');
	const at = cell(new Date(e.at).toLocaleString());
	at.title = e.at;
	const detail = cell(visible(JSON.stringify(e.detail)));
	detail.className = 'a-detail';
	const td = document.createElement('td');
	if (e.session_id)
		td.append(button('Recording', act(() => openReplay({
		    session_id: e.session_id, username: e.username,
		    host_id: e.host_id })), { className: 'small',
		    ariaLabel: 'Play the recording of session ' +
		    e.session_id.slice(0, 12) }));
	tr.append(at, cell(e.kind), cell(e.username), cell(e.host_id),
	    cell(e.session_id ? e.session_id.slice(0, 12) : ''), detail, td);
	return tr;
}

/* The first page of the search (MORE false) or the next one. */
async function load(more) {
	const seq = ++au.seq;
	const q = params();
	q.set('limit', String(PAGE));
	if (more && au.next)
		q.set('before', au.next);
	$('a-status').textContent = 'Loading…';
	const data = await api('GET', '/admin/events?' + q);
	if (seq !== au.seq)
		return;
	if (!more)
		$('a-rows').replaceChildren();
	$('a-rows').append(...data.items.map(row));
	au.next = data.next_before;
	$('a-more').hidden = !au.next;
	const n = $('a-rows').children.length;
	$('a-status').textContent = n === 0 ? 'No event matches.' :
	    n + (n === 1 ? ' event' : ' events') + (au.next ?
	    ', more below' : '');
}

export const searchEvents = () => load(false);

/* Where the search downloads as CSV. */
function exportUrl() {
	const q = params();
	q.set('format', 'csv');
	return API + '/admin/events?' + q;
}

function exportEvents() {
	const a = document.createElement('a');
	a.href = exportUrl();
	a.download = 'termgate-events.csv';
	document.body.append(a);
	a.click();
	a.remove();
}

export function wireAudit() {
	$('a-form').addEventListener('submit', (ev) => {
		ev.preventDefault();
		act(searchEvents)();
	});
	for (const id of ['a-kind', 'a-since', 'a-until'])
		$(id).addEventListener('change', act(searchEvents));
	$('a-more').addEventListener('click', act(() => load(true)));
	$('a-export').addEventListener('click', exportEvents);
}
