// time.test.mjs - contrib/web/js/time.js: durations, run times (none for
// a typed command), "ago", player positions, offsets into a recording.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ago, clock, commandRuntime, duration, offsetIn, runtime } from
    '../../contrib/web/js/time.js';

test('duration: seconds, minutes, hours and minutes', () => {
	assert.equal(duration(0), '0 s');
	assert.equal(duration(59.4), '59 s');
	assert.equal(duration(59.6), '1 min');
	assert.equal(duration(3599), '59 min');
	assert.equal(duration(3600 + 5 * 60 + 59), '1 h 5 min');
	assert.equal(duration(-3), '0 s');
	assert.equal(duration(null), '0 s');
});

test('runtime: ms, tenths of seconds, minutes and seconds', () => {
	assert.equal(runtime(0), '0 ms');
	assert.equal(runtime(999), '999 ms');
	assert.equal(runtime(1500), '1.5 s');
	assert.equal(runtime(59949), '59.9 s');
	assert.equal(runtime(125000), '2 min 5 s');
	assert.equal(runtime(null), '');
	assert.equal(runtime(undefined), '');
});

test('commandRuntime: a shell command shows its run time', () => {
	assert.equal(commandRuntime({ source: 'shell', duration_ms: 40 }),
	    '40 ms');
	assert.equal(commandRuntime({ source: 'shell', duration_ms: 0 }),
	    '0 ms');
	assert.equal(commandRuntime({ source: 'shell', duration_ms: 1500 }),
	    '1.5 s');
});

test('commandRuntime: nothing when the end is not known', () => {
	// A typed command: capture writes finished_at = started_at.
	assert.equal(commandRuntime({ source: 'typed', duration_ms: 0 }), '');
	assert.equal(commandRuntime({ source: 'typed', duration_ms: 1500 }),
	    '');
	// Still running: no finished_at, duration_ms null (doc/api.md).
	assert.equal(commandRuntime({ source: 'shell', duration_ms: null }),
	    '');
	assert.equal(commandRuntime({ source: 'shell' }), '');
});

test('ago: relative to the clock given', () => {
	const now = Date.parse('2026-11-24T18:00:00Z');
	const at = (s) => new Date(now - s * 1000).toISOString();
	assert.equal(ago(at(0), now), 'just now');
	assert.equal(ago(at(9), now), 'just now');
	assert.equal(ago(at(10), now), '10 s ago');
	assert.equal(ago(at(59), now), '59 s ago');
	assert.equal(ago(at(60), now), '1 min ago');
	assert.equal(ago(at(3599), now), '59 min ago');
	assert.equal(ago(at(3600), now), '1 h ago');
	assert.equal(ago(at(86399), now), '23 h ago');
	assert.equal(ago(at(86400), now), '1 d ago');
	assert.equal(ago(at(29 * 86400), now), '29 d ago');
	const old = at(31 * 86400);
	assert.equal(ago(old, now), new Date(old).toLocaleDateString());
	assert.equal(ago('not a time', now), '');
});

test('clock: minutes and two-digit seconds', () => {
	assert.equal(clock(0), '0:00');
	assert.equal(clock(2.5), '0:02');
	assert.equal(clock(65), '1:05');
	assert.equal(clock(600.9), '10:00');
});

test('offsetIn: the recording_offset first', () => {
	assert.equal(offsetIn({ recording_offset: 2.5,
	    started_at: '2026-11-24T18:00:00Z' },
	    '{"version": 2, "timestamp": 1}\n'), 2.5);
	assert.equal(offsetIn({ recording_offset: 0 }, ''), 0);
});

test('offsetIn: else the start less the header timestamp', () => {
	const ts = Date.parse('2026-11-24T18:00:00Z') / 1000;
	const cast = '{"version": 2, "width": 80, "height": 24, ' +
	    '"timestamp": ' + ts + '}\n[1.0, "o", "x"]\n';
	assert.equal(offsetIn({ recording_offset: null,
	    started_at: '2026-11-24T18:01:07Z' }, cast), 67);
	// Before the recording began: its beginning.
	assert.equal(offsetIn({ started_at: '2026-11-24T17:59:00Z' }, cast),
	    0);
});

test('offsetIn: else the beginning', () => {
	const item = { started_at: '2026-11-24T18:01:07Z' };
	assert.equal(offsetIn(item, '{"version": 2}\n'), 0);
	assert.equal(offsetIn(item, 'not json\n'), 0);
	assert.equal(offsetIn(item, ''), 0);
	assert.equal(offsetIn(item, '{"timestamp": "1"}\n'), 0);
});
