/*
 * watch.js - an admin watches (read-only) or joins (types into) another
 * user's live session from the console: POST admin/sessions/ID/watch
 * answers {url, mode, share_id}, and the terminal at url is shown in a
 * tab of this page like the user's own (sessions.js's showPanel), kept
 * attached, but with no heartbeat or beacon: it is not this user's
 * session. Closing the tab, or leaving the page, ends the watch (DELETE
 * admin/sessions/ID/watch/SHARE); the server ends it by itself too when
 * the session ends.
 */
import { API, api, ApiError } from './api.js';
import { announce } from './dom.js';
import { showPanel } from './sessions.js';
import { attached, forget, remember, setState } from './tabs.js';

const watchPath = (sid) => '/admin/sessions/' + encodeURIComponent(sid) +
    '/watch';
const endPath = (w) => watchPath(w.session) + '/' +
    encodeURIComponent(w.share);

/*
 * Watches (MODE 'view') or joins (MODE 'control') session S (a row of
 * the admin list) in a new tab. Rejects with the API's error, said as
 * what it was about.
 */
export async function watchSession(s, mode) {
	const what = mode === 'control' ? 'join' : 'watch';
	let w;
	try {
		w = await api('POST', watchPath(s.session_id), { mode });
	} catch (err) {
		if (!(err instanceof ApiError))
			throw err;
		throw new ApiError(err.status, Object.assign({}, err.body, {
		    error: err.code, message: 'Could not ' + what + ' ' +
		    s.username + "'s terminal on " + s.host_name + ': ' +
		    err.message }));
	}
	const a = remember({ session_id: 'share-' + w.share_id, url: w.url,
	    host_id: s.host_id, host_name: s.username + '@' + s.host_name +
	    (mode === 'control' ? ' (joined)' : ' (watching)'),
	    mode: 'embedded' });
	a.share = { session: s.session_id, share: w.share_id,
	    mode: w.mode || mode };
	showPanel(a, () => endWatch(a.id));
	setState(a, a.share.mode === 'control' ? 'joined: what you type ' +
	    'reaches the shell' : 'watching, read-only');
	announce((mode === 'control' ? 'Joined ' : 'Watching ') +
	    s.username + "'s terminal on " + s.host_name + '.');
}

/* Ends the watch of tab ID and takes the tab away. */
export async function endWatch(id) {
	const a = attached.get(id);
	if (!a || !a.share)
		return;
	if (a.unwatch)
		a.unwatch();
	forget(id);
	try {
		await api('DELETE', endPath(a.share));
	} catch (err) {
		/* Ended already (the session ended, or it expired): gone. */
		if (err.status !== 404)
			throw err;
	}
	announce('Stopped watching.');
}

/* On pagehide: end every watch of this page, as a request the browser
 * finishes after the page is gone. */
export function endAllWatches() {
	for (const a of attached.values())
		if (a.share)
			fetch(API + endPath(a.share), { method: 'DELETE',
			    credentials: 'same-origin', keepalive: true,
			    headers: { 'Content-Type': 'application/json' } })
			    .catch(() => {});
}
