// text.test.mjs - contrib/web/js/text.js: caret notation, what may be
// typed, search matches and the pieces highlighted, the exit badge.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deceptive, exitBadge, matches, pieces, typeable, visible } from
    '../../contrib/web/js/text.js';

test('visible: control characters in caret notation', () => {
	assert.equal(visible('printf \x1b[31mred'), 'printf ^[[31mred');
	assert.equal(visible('\x00\x01\x08'), '^@^A^H');
	assert.equal(visible('a\x7fb'), 'a^?b');
	assert.equal(visible('\x1f'), '^_');
	assert.equal(visible('\r'), '^M');
});

test('visible: tab, newline and text stay as they are', () => {
	assert.equal(visible('a\tb\nc'), 'a\tb\nc');
	assert.equal(visible('<b>bold</b> & ü'), '<b>bold</b> & ü');
});

test('visible: what lies to the eye is shown as \\u{...}', () => {
	// A row that reads "ls -la" and holds "ls al-" reordered (U+202E).
	assert.equal(visible('ls \u202eal-'), 'ls \\u{202e}al-');
	assert.equal(visible('curl\u200b x'), 'curl\\u{200b} x');
	assert.equal(visible('a\u2066b\u2069'), 'a\\u{2066}b\\u{2069}');
	assert.equal(visible('\u009b2J'), '\\u{009b}2J');
	assert.equal(visible('soft\u00adhyphen\ufeff'),
	    'soft\\u{00ad}hyphen\\u{feff}');
	assert.equal(visible('caf\u00e9 \u65e5\u672c'), 'caf\u00e9 \u65e5\u672c');
});

test('deceptive: only rows with such characters', () => {
	for (const c of ['\u0085', '\u009b', '\u00ad', '\u061c', '\u200b',
	    '\u200e', '\u200f', '\u202a', '\u202e', '\u2060', '\u2066',
	    '\u2069', '\ufeff'])
		assert.equal(deceptive('ls' + c + ' -la'), true, c);
	for (const t of ['ls -la', 'caf\u00e9', '\u65e5\u672c', 'a\tb\nc',
	    'printf \x1b[31m', '\u2070'])
		assert.equal(deceptive(t), false, t);
});

test('typeable: no control characters but tab and newline', () => {
	assert.equal(typeable('ls\x1b[A -la'), 'ls[A -la');
	assert.equal(typeable('a\x7fb\x85c'), 'abc');
	assert.equal(typeable('for i in 1 2\ndo\techo $i\ndone'),
	    'for i in 1 2\ndo\techo $i\ndone');
});

test('typeable: no trailing newline, so nothing runs by itself', () => {
	assert.equal(typeable('make check\n'), 'make check');
	assert.equal(typeable('make check \r\n\n'), 'make check');
	assert.equal(typeable('  indented'), '  indented');
});

test('matches: any case, the search taken literally', () => {
	assert.deepEqual(matches('grep -rn needle /srv', 'NEEDLE'),
	    [[9, 15]]);
	assert.deepEqual(matches('a.b a-b a.b', 'a.b'), [[0, 3], [8, 11]]);
	assert.deepEqual(matches('x (y) [z]', '(y)'), [[2, 5]]);
	assert.deepEqual(matches('abc', ''), []);
	assert.deepEqual(matches('abc', 'zz'), []);
});

test('matches: re: is a regular expression, case-sensitive', () => {
	assert.deepEqual(matches('echo row-61', 're:row-6[0-9]$'), [[5, 11]]);
	assert.deepEqual(matches('Echo echo', 're:echo'), [[5, 9]]);
	assert.deepEqual(matches('Echo echo', 're:(?i)echo'),
	    [[0, 4], [5, 9]]);
});

test('matches: a bad or empty-matching regex marks nothing', () => {
	assert.deepEqual(matches('(unclosed', 're:(unclosed'), []);
	assert.deepEqual(matches('abc', 're:x*'), []);
	assert.deepEqual(matches('abc', 're:b*'), [[1, 2]]);
});

test('matches: at most 50', () => {
	assert.equal(matches('a'.repeat(80), 'a').length, 50);
});

test('pieces: the text cut at the matches, nothing lost', () => {
	const text = 'grep needle in needles';
	const p = pieces(text, matches(text, 'needle'));
	assert.deepEqual(p, [['grep ', false], ['needle', true],
	    [' in ', false], ['needle', true], ['s', false]]);
	assert.equal(p.map(([s]) => s).join(''), text);
	assert.deepEqual(pieces('abc', []), [['abc', false]]);
	assert.deepEqual(pieces('abc', [[0, 3]]), [['abc', true]]);
	assert.deepEqual(pieces('', []), []);
});

test('exitBadge: ok, failed, unknown', () => {
	assert.deepEqual(exitBadge(0), { text: 'ok', cls: 'ok',
	    title: 'Exit status 0' });

test('exitBadge: a claimed record says so, whatever its status', () => {
	const b = exitBadge(0, 'claimed');
	assert.equal(b.text, 'claimed');
	assert.equal(b.cls, 'claimed');
	assert.match(b.title, /exit status 0/);
	assert.equal(exitBadge(0, 'shell').text, 'ok');
});
	assert.deepEqual(exitBadge(1), { text: 'exit 1', cls: 'failed',
	    title: 'Exit status 1' });
	assert.equal(exitBadge(null).text, '?');
	assert.equal(exitBadge(null).cls, 'unknown');
});
