/*
 * ops.js - the operator's console's pure helpers: which sessions its
 * filters keep and in what order, the audit trail's query string, who
 * is attached to a session, and which command of a recording's timeline
 * is under the playhead. Pure functions of plain values, no DOM;
 * tests/web/ runs them under node --test.
 */
import { dayStart } from './query.js';

/* Statuses the "live" choice of the status filter stands for. */
export const LIVE = ['starting', 'active'];

const has = (v, part) => String(v || '').toLowerCase()
    .includes(part.trim().toLowerCase());

/*
 * The sessions of LIST that filter F keeps: user, host (its id or its
 * name) and node as parts of the value, any case; status 'live'
 * (starting or active), '' (any) or one status. A new array.
 */
export function filterSessions(list, f) {
	return list.filter((s) => has(s.username, f.user || '') &&
	    (has(s.host_id, f.host || '') || has(s.host_name, f.host || '')) &&
	    has(s.node, f.node || '') &&
	    (!f.status || (f.status === 'live' ? LIVE.includes(s.status) :
	    s.status === f.status)));
}

/* The columns a session list sorts by, each a value of a session. */
export const COLUMNS = {
	user: (s) => s.username,
	host: (s) => s.host_name || s.host_id,
	node: (s) => s.node,
	mode: (s) => s.mode,
	status: (s) => s.status,
	age: (s) => s.age_seconds,
	idle: (s) => s.last_seen_seconds,
	clients: (s) => clientsOf(s).count,
};

/*
 * LIST sorted by column KEY (of COLUMNS), DIR 'ascending' or
 * 'descending'; ties by session id, so that a list polled again keeps
 * its order. Numbers as numbers, text in the page's collation; a
 * missing value sorts last either way. A new array.
 */
export function sortSessions(list, key, dir) {
	const get = COLUMNS[key] || COLUMNS.age;
	const sign = dir === 'descending' ? -1 : 1;
	return list.slice().sort((a, b) => {
		const x = get(a), y = get(b);
		const nx = x === null || x === undefined;
		const ny = y === null || y === undefined;
		if (nx !== ny)
			return nx ? 1 : -1;
		let c = 0;
		if (!nx)
			c = typeof x === 'number' && typeof y === 'number' ?
			    x - y : String(x).localeCompare(String(y));
		return c !== 0 ? sign * c :
		    a.session_id < b.session_id ? -1 : 1;
	});
}

/*
 * Who is attached to session S now, as the admin list says when it
 * says (clients, a number, and viewers, an array of names or of
 * {user, mode} objects): {count, text}; count null when not said.
 */
export function clientsOf(s) {
	const count = typeof s.clients === 'number' ? s.clients : null;
	const names = Array.isArray(s.viewers) ? s.viewers.map((v) =>
	    typeof v === 'string' ? v : [v.user || v.username || '?',
	    v.mode ? '(' + v.mode + ')' : ''].join(' ').trim()) : [];
	let text = count === null ? '–' : String(count);
	if (names.length)
		text += ': ' + names.join(', ');
	return { count, text };
}

/*
 * The audit trail's parameters (GET admin/events, doc/api.md) from the
 * console's fields F: user, host, kind, since and until (local days,
 * both included). Empty fields are left out.
 */
export function auditParams(f) {
	const p = new URLSearchParams();
	for (const k of ['user', 'host', 'kind']) {
		const v = (f[k] || '').trim();
		if (v)
			p.set(k, v);
	}
	if (f.since)
		p.set('since', dayStart(f.since, 0));
	if (f.until)
		p.set('until', dayStart(f.until, 1));
	return p;
}

/*
 * The index of the command under the playhead at T seconds, in OFFSETS
 * (ascending, seconds): the last one that started at or before T; -1
 * before the first.
 */
export function commandAt(offsets, t) {
	let lo = 0, hi = offsets.length - 1, at = -1;
	while (lo <= hi) {
		const mid = (lo + hi) >> 1;
		if (offsets[mid] <= t + 1e-6) {
			at = mid;
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	return at;
}
