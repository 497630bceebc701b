/*
 * text.js - commands are data: how the web client shows them (control
 * characters in caret notation), what it may type or copy of them, and
 * where a search matches them. Pure functions on strings, no DOM; the
 * callers put the results into the page through textContent only.
 * tests/web/ runs them under node --test.
 */

/*
 * Characters that lie to the eye: the C1 controls (U+009B is CSI), and
 * what prints nothing or reorders what does (soft hyphen, bidi marks,
 * embeddings, overrides and isolates, zero-width characters, the BOM).
 * A row holding them can read "ls -la" and hold something else. The
 * same set as termgate-admin's (src/vis.c).
 */
const DECEPTIVE = /[\u0080-\u009f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/* Control characters in caret notation (ESC as ^[, DEL as ^?), as a
 * terminal user reads them; every font has those glyphs. The characters
 * of DECEPTIVE as \u{XXXX}, as termgate-admin writes them. Tab and
 * newline stay. */
export function visible(text) {
	return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g,
	    (c) => c === '\u007f' ? '^?' :
	    '^' + String.fromCharCode(0x40 + c.charCodeAt(0)))
	    .replace(DECEPTIVE, (c) => '\\u{' +
	    c.charCodeAt(0).toString(16).padStart(4, '0') +
	    '}');
}

/* Whether TEXT holds a character of DECEPTIVE: such a command is not
 * typed into a terminal (what runs would not be what the row reads). */
export function deceptive(text) {
	return text.search(DECEPTIVE) !== -1;
}

/* What may be typed or copied: no control characters but tab and
 * newline, no trailing white space (nothing runs by itself). */
export function typeable(text) {
	return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g,
	    '').replace(/\s+$/, '');
}

/* The RegExp (global) of search Q: re:PATTERN (a leading (?i) for any
 * case), else Q literally in any case; null when PATTERN is not
 * JavaScript's (the server speaks PostgreSQL's dialect). */
function searchRegExp(q) {
	if (!q.startsWith('re:'))
		return new RegExp(q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
		    'gi');
	let src = q.slice(3), flags = 'g';
	if (src.startsWith('(?i)')) {
		src = src.slice(4);
		flags += 'i';
	}
	try {
		return new RegExp(src, flags);
	} catch (e) {
		return null;
	}
}

/* [from, to) of each non-empty match of Q in TEXT, in order, at most
 * 50; none for an empty Q. */
export function matches(text, q) {
	const out = [];
	const re = q ? searchRegExp(q) : null;
	let m;
	if (re === null)
		return out;
	while ((m = re.exec(text)) !== null && out.length < 50) {
		if (m[0] === '') {
			re.lastIndex++;
			continue;
		}
		out.push([m.index, m.index + m[0].length]);
	}
	return out;
}

/* TEXT cut by SPANS (from matches()) into [piece, matched] pairs, in
 * order, the unmatched pieces too (empty ones left out). */
export function pieces(text, spans) {
	const out = [];
	let at = 0;
	for (const [from, to] of spans) {
		if (from > at)
			out.push([text.slice(at, from), false]);
		out.push([text.slice(from, to), true]);
		at = to;
	}
	if (at < text.length)
		out.push([text.slice(at), false]);
	return out;
}

/* The badge of EXIT (an exit status, or null): its text, class, title. */
export function exitBadge(exit, source) {
	if (source === 'claimed')
		return { text: 'claimed', cls: 'claimed',
		    title: 'Output claimed this command' + (exit === null ||
		    exit === undefined ? '' : ' and exit status ' + exit) +
		    '; the shell did not confirm it (its marks lacked ' +
		    'the session\'s nonce)' };
	if (exit === null || exit === undefined)
		return { text: '?', cls: 'unknown',
		    title: 'Exit status unknown (typed, or not finished)' };
	return { text: exit === 0 ? 'ok' : 'exit ' + exit,
	    cls: exit === 0 ? 'ok' : 'failed', title: 'Exit status ' + exit };
}

/* What a terminal tab says of who else is attached, VIEWERS of a
 * session ([{user, mode}]): "watched by a, b; joined by c", or "". */
export function viewerText(viewers) {
	const by = (mode) => viewers.filter((v) => v.mode === mode)
	    .map((v) => v.user);
	const parts = [];
	if (by('view').length)
		parts.push('watched by ' + by('view').join(', '));
	if (by('control').length)
		parts.push('joined by ' + by('control').join(', '));
	return parts.join('; ');
}
