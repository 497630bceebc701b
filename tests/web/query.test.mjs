// query.test.mjs - contrib/web/js/query.js: the history search's query
// string, its filters, and paging by cursor.
import { test } from 'node:test';
import assert from 'node:assert/strict';

// Local days become UTC times: fix the zone (before any Date is made).
process.env.TZ = 'Europe/Berlin';

const { filterCount, historyParams, newPaging, pageDone, pageQuery,
    pageStatus } = await import('../../contrib/web/js/query.js');

test('historyParams: empty fields are left out', () => {
	assert.equal(String(historyParams({})), '');
	assert.equal(String(historyParams({ q: '   ', host: '', source: '',
	    exit: '', since: '', until: '', sessionOnly: false,
	    session: 'abc' })), '');
});

test('historyParams: each field as the API names it', () => {
	const p = historyParams({ q: '  ls -la ', host: 'web1',
	    source: 'typed', exit: 'nonzero' });
	assert.equal(p.get('q'), 'ls -la');
	assert.equal(p.get('host_id'), 'web1');
	assert.equal(p.get('source'), 'typed');
	assert.equal(p.get('exit_status'), 'nonzero');
	assert.equal(String(p),
	    'q=ls+-la&host_id=web1&source=typed&exit_status=nonzero');
	assert.equal(historyParams({ exit: '0' }).get('exit_status'), '0');
});

test('historyParams: days are local, until takes the whole day', () => {
	const p = historyParams({ since: '2026-11-24', until: '2026-11-24' });
	assert.equal(p.get('since'), '2026-11-23T23:00:00.000Z');
	assert.equal(p.get('until'), '2026-11-24T23:00:00.000Z');
	// Across the end of summer time: a day of 25 hours.
	const d = historyParams({ since: '2026-10-25', until: '2026-10-25' });
	assert.equal(d.get('since'), '2026-10-24T22:00:00.000Z');
	assert.equal(d.get('until'), '2026-10-25T23:00:00.000Z');
});

test('historyParams: this session only, when a tab is shown', () => {
	assert.equal(historyParams({ sessionOnly: true, session: 'ab12' })
	    .get('session_id'), 'ab12');
	assert.equal(historyParams({ sessionOnly: true, session: null })
	    .has('session_id'), false);
	assert.equal(historyParams({ sessionOnly: false, session: 'ab12' })
	    .has('session_id'), false);
});

test('filterCount: the search text is not a filter', () => {
	assert.equal(filterCount(historyParams({ q: 'x' })), 0);
	assert.equal(filterCount(historyParams({ q: 'x', host: 'h',
	    exit: '0', since: '2026-01-01' })), 3);
});

test('paging: the first page has no cursor', () => {
	const p = historyParams({ q: 'echo' });
	const q = pageQuery(p, newPaging(), 50);
	assert.equal(String(q), 'q=echo&limit=50');
	assert.equal(String(p), 'q=echo', 'the search itself is unchanged');
});

test('paging: each next page asks with the last cursor', () => {
	const p = historyParams({ q: 'echo' });
	let g = newPaging();
	g = pageDone(g, { items: new Array(50).fill({}), next_cursor: 'c1' });
	assert.deepEqual(g, { cursor: 'c1', shown: 50 });
	assert.equal(String(pageQuery(p, g, 50)), 'q=echo&limit=50&cursor=c1');
	assert.equal(pageStatus(g), '50 commands, more below');
	g = pageDone(g, { items: [{}], next_cursor: null });
	assert.deepEqual(g, { cursor: null, shown: 51 });
	assert.equal(String(pageQuery(p, g, 50)), 'q=echo&limit=50');
	assert.equal(pageStatus(g), '51 commands');
	assert.equal(pageStatus({ cursor: null, shown: 1 }), '1 command');
});

test('paging: an answer without next_cursor ends it', () => {
	const g = pageDone({ cursor: 'c1', shown: 3 }, { items: [] });
	assert.equal(g.cursor, null);
	assert.equal(g.shown, 3);
});
