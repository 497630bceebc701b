// viewers.test.mjs - contrib/web/js/text.js: what a terminal tab says of
// who else is attached (the session's viewers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { viewerText } from '../../contrib/web/js/text.js';

test('viewerText: nobody, watchers, joiners, both', () => {
	assert.equal(viewerText([]), '');
	assert.equal(viewerText([{ user: 'admin', mode: 'view' }]),
	    'watched by admin');
	assert.equal(viewerText([{ user: 'a', mode: 'view' },
	    { user: 'b', mode: 'view' }]), 'watched by a, b');
	assert.equal(viewerText([{ user: 'ann', mode: 'control' }]),
	    'joined by ann');
	assert.equal(viewerText([{ user: 'a', mode: 'control' },
	    { user: 'b', mode: 'view' }]), 'watched by b; joined by a');
});
