/*
 * query.js - the history search as the API reads it (GET
 * /api/terminal/history, doc/api.md): the query string built from the
 * panel's fields, the filters counted, and the paging by cursor. Pure
 * functions of plain values, no DOM; tests/web/ runs them under
 * node --test.
 */

/* Midnight of local day DAY (YYYY-MM-DD) plus ADD days, as an ISO time. */
export function dayStart(day, add) {
	const d = new Date(day + 'T00:00:00');
	d.setDate(d.getDate() + add);
	return d.toISOString();
}

/*
 * The search's parameters from the panel's fields F: q, host, source,
 * exit ('' / '0' / 'nonzero'), since and until (local days, both
 * included), sessionOnly, session (the tab shown, or null), and all
 * (an admin's search over every user: user=*). Empty
 * fields are left out. The caller owns the URLSearchParams returned.
 */
export function historyParams(f) {
	const p = new URLSearchParams();
	const q = (f.q || '').trim();
	if (q)
		p.set('q', q);
	if (f.host)
		p.set('host_id', f.host);
	if (f.source)
		p.set('source', f.source);
	if (f.exit)
		p.set('exit_status', f.exit);
	if (f.since)
		p.set('since', dayStart(f.since, 0));
	if (f.until)
		p.set('until', dayStart(f.until, 1));
	if (f.sessionOnly && f.session)
		p.set('session_id', f.session);
	if (f.all)
		p.set('user', '*');
	return p;
}

/* How many filters P holds (the search text is not one). */
export function filterCount(p) {
	return [...p.keys()].filter((k) => k !== 'q').length;
}

/*
 * Paging: a search starts with no cursor and nothing shown; each page
 * answered ({items, next_cursor}) moves it on. The next page is asked
 * for with the cursor of the last one; no cursor after a page means the
 * end.
 */
export function newPaging() {
	return { cursor: null, shown: 0 };
}

/* The query of the next page of search P, LIMIT rows, after PAGING. */
export function pageQuery(p, paging, limit) {
	const q = new URLSearchParams(p);
	q.set('limit', String(limit));
	if (paging.cursor)
		q.set('cursor', paging.cursor);
	return q;
}

/* PAGING after the page DATA ({items, next_cursor}), as a new object. */
export function pageDone(paging, data) {
	return { cursor: data.next_cursor || null,
	    shown: paging.shown + data.items.length };
}

/* The panel's status line after PAGING (something shown). */
export function pageStatus(paging) {
	return paging.shown + (paging.shown === 1 ? ' command' :
	    ' commands') + (paging.cursor ? ', more below' : '');
}
