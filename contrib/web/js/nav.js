/*
 * nav.js - where a key moves the focus in a list: between the terminal
 * tabs (the ARIA tabs pattern: arrows wrap, Home, End) and between the
 * history panel's rows (down from the search box, up back to it). Pure
 * functions of indexes, no DOM; tests/web/ runs them under node --test.
 */

/* The tab KEY moves to from tab I of N, or null for another key. */
export function tabTarget(key, i, n) {
	const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0,
	    End: n - 1 }[key];
	if (to === undefined || n === 0)
		return null;
	return (to + n) % n;
}

/*
 * The row KEY moves to from row I of N (I = -1: the search box), -1 for
 * the search box, or null: stay (another key, or no row there).
 */
export function rowTarget(key, i, n) {
	let to = null;
	if (i === -1)
		to = key === 'ArrowDown' ? 0 : null;
	else if (key === 'ArrowDown')
		to = i + 1;
	else if (key === 'ArrowUp')
		to = i - 1;
	else if (key === 'Home')
		to = 0;
	else if (key === 'End')
		to = n - 1;
	if (to === null || to >= n || (to < 0 && to !== -1))
		return null;
	return to;
}
