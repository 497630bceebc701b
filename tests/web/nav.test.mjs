// nav.test.mjs - contrib/web/js/nav.js: where the keys move the focus
// in the terminal tabs and in the history panel's rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rowTarget, tabTarget } from '../../contrib/web/js/nav.js';

test('tabTarget: arrows wrap, Home and End, other keys stay', () => {
	assert.equal(tabTarget('ArrowRight', 0, 3), 1);
	assert.equal(tabTarget('ArrowRight', 2, 3), 0);
	assert.equal(tabTarget('ArrowLeft', 0, 3), 2);
	assert.equal(tabTarget('Home', 2, 3), 0);
	assert.equal(tabTarget('End', 0, 3), 2);
	assert.equal(tabTarget('Enter', 1, 3), null);
	assert.equal(tabTarget('ArrowRight', 0, 0), null);
});

test('rowTarget: from the search box down into the rows', () => {
	assert.equal(rowTarget('ArrowDown', -1, 5), 0);
	assert.equal(rowTarget('ArrowDown', -1, 0), null);
	assert.equal(rowTarget('ArrowUp', -1, 5), null);
	assert.equal(rowTarget('End', -1, 5), null);
});

test('rowTarget: between rows, up from the first to the search box', () => {
	assert.equal(rowTarget('ArrowDown', 1, 5), 2);
	assert.equal(rowTarget('ArrowDown', 4, 5), null);
	assert.equal(rowTarget('ArrowUp', 3, 5), 2);
	assert.equal(rowTarget('ArrowUp', 0, 5), -1);
	assert.equal(rowTarget('Home', 3, 5), 0);
	assert.equal(rowTarget('End', 1, 5), 4);
	assert.equal(rowTarget('x', 1, 5), null);
});
