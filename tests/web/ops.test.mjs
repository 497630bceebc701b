// ops.test.mjs - contrib/web/js/ops.js: the operator's console's
// filters, sorting, attached clients, audit query and timeline.
import { test } from 'node:test';
import assert from 'node:assert/strict';

process.env.TZ = 'Europe/Berlin';

const { auditParams, clientsOf, commandAt, filterSessions,
    sortSessions } = await import('../../contrib/web/js/ops.js');

const S = [
	{ session_id: 'a', username: 'alice', host_id: 'web1',
	    host_name: 'Web One', node: 'n1', mode: 'embedded',
	    status: 'active', age_seconds: 50, last_seen_seconds: 3 },
	{ session_id: 'b', username: 'bob', host_id: 'db1', host_name: 'db1',
	    node: 'n2', mode: 'popout', status: 'starting', age_seconds: 5,
	    last_seen_seconds: 40, clients: 2, viewers: ['root'] },
	{ session_id: 'c', username: 'Alicia', host_id: 'web2',
	    host_name: 'web2', node: 'n1', mode: 'embedded',
	    status: 'closed', age_seconds: 500, last_seen_seconds: 400 },
];
const ids = (l) => l.map((s) => s.session_id).join('');

test('filterSessions: parts of user, host (id or name), node; any case',
    () => {
	assert.equal(ids(filterSessions(S, {})), 'abc');
	assert.equal(ids(filterSessions(S, { user: 'ALI' })), 'ac');
	assert.equal(ids(filterSessions(S, { host: 'one' })), 'a');
	assert.equal(ids(filterSessions(S, { host: 'web' })), 'ac');
	assert.equal(ids(filterSessions(S, { node: 'n2' })), 'b');
	assert.equal(ids(filterSessions(S, { user: ' bob ' })), 'b');
});

test('filterSessions: live is starting and active; else one status',
    () => {
	assert.equal(ids(filterSessions(S, { status: 'live' })), 'ab');
	assert.equal(ids(filterSessions(S, { status: 'closed' })), 'c');
	assert.equal(ids(filterSessions(S, { status: '' })), 'abc');
});

test('sortSessions: numbers as numbers, text by collation, both ways',
    () => {
	assert.equal(ids(sortSessions(S, 'age', 'ascending')), 'bac');
	assert.equal(ids(sortSessions(S, 'age', 'descending')), 'cab');
	assert.equal(ids(sortSessions(S, 'idle', 'ascending')), 'abc');
	assert.equal(ids(sortSessions(S, 'user', 'ascending')), 'acb');
	assert.equal(ids(sortSessions(S, 'user', 'descending')), 'bca');
	assert.equal(ids(S), 'abc', 'the list itself is left as it was');
});

test('sortSessions: unknown counts last either way, ties by id', () => {
	assert.equal(ids(sortSessions(S, 'clients', 'ascending'))[0], 'b');
	assert.equal(ids(sortSessions(S, 'clients', 'descending'))[0], 'b');
	assert.equal(ids(sortSessions(S, 'node', 'ascending')), 'acb');
});

test('clientsOf: what the list says, or that it says nothing', () => {
	assert.deepEqual(clientsOf(S[0]), { count: null, text: '–' });
	assert.deepEqual(clientsOf(S[1]), { count: 2, text: '2: root' });
	assert.equal(clientsOf({ clients: 1, viewers: [{ user: 'eve',
	    mode: 'view' }] }).text, '1: eve (view)');
});

test('auditParams: fields as the API names them, days local', () => {
	assert.equal(String(auditParams({ user: ' ', kind: '' })), '');
	const p = auditParams({ user: 'alice', host: 'web1', kind: 'closed',
	    since: '2026-11-24', until: '2026-11-24' });
	assert.equal(p.get('user'), 'alice');
	assert.equal(p.get('host'), 'web1');
	assert.equal(p.get('kind'), 'closed');
	assert.equal(p.get('since'), '2026-11-23T23:00:00.000Z');
	assert.equal(p.get('until'), '2026-11-24T23:00:00.000Z');
});

test('commandAt: the last command started at or before the playhead',
    () => {
	const off = [1, 2.5, 2.5, 7];
	assert.equal(commandAt(off, 0), -1);
	assert.equal(commandAt(off, 1), 0);
	assert.equal(commandAt(off, 2.49), 0);
	// A seek to 2.5 that reads back a hair before it is at 2.5.
	assert.equal(commandAt(off, 2.4999999), 2);
	assert.equal(commandAt(off, 2.5), 2);
	assert.equal(commandAt(off, 6.9), 2);
	assert.equal(commandAt(off, 100), 3);
	assert.equal(commandAt([], 3), -1);
});
