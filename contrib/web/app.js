/*
 * app.js - termgate's web client, the page's one script (a module; the
 * browser loads the ones below it from js/ itself, no build step).
 *
 * The page lists the hosts and the user's live sessions, opens terminals
 * in it, one tab each, or in popout windows, and keeps them alive
 * (js/sessions.js, js/tabs.js, js/limit.js, js/terminal.js); a popout
 * window is this same page opened as index.html#popout=ID
 * (js/popout.js). A terminal is shared by link, and a link opened
 * (index.html#share=TOKEN) shows another user's terminal in a tab;
 * each of the user's tabs says who watches it (js/shares.js). The
 * command history panel searches what users ran and plays it from the
 * recordings (js/history.js, js/player.js). An admin also gets the
 * operator's console (js/console.js and the views it wires: js/live.js,
 * js/watch.js, js/replay.js, js/audit.js; js/ops.js its pure helpers). All
 * of them reach the API through js/api.js; js/time.js, js/text.js,
 * js/query.js and js/nav.js are pure helpers that tests/web/ tests under
 * node --test. This file wires the page's events and starts.
 */
import { $, clearError, showError, act } from './js/dom.js';
import { startConsole } from './js/console.js';
import { setHosts, wireHistory } from './js/history.js';
import { wireLimit } from './js/limit.js';
import { wirePlayer } from './js/player.js';
import { popoutId, popoutMain } from './js/popout.js';
import { beaconAll, heartbeatAll, loadHosts, openShared, refreshSessions,
    restoreTabs, scheduleList, sessionFor } from './js/sessions.js';
import { pollViewers, shareToken } from './js/shares.js';
import { fullLabels } from './js/tabs.js';
import { endAllWatches } from './js/watch.js';

function wire() {
	$('error-dismiss').addEventListener('click', clearError);
	$('sessions-refresh').addEventListener('click', act(refreshSessions));
	wireLimit();
	document.addEventListener('visibilitychange', () => {
		if (document.visibilityState !== 'visible')
			return;
		heartbeatAll();
		if (!popoutId())
			refreshSessions().catch(showError);
	});
	/* Back on the network: the heartbeats that failed, at once (the
	 * terminals reattach by themselves, js/terminal.js). */
	window.addEventListener('online', heartbeatAll);
	document.addEventListener('fullscreenchange', fullLabels);
	window.addEventListener('pagehide', beaconAll);
	window.addEventListener('pagehide', endAllWatches);
	/* Back from the back/forward cache: undo the beacon at once. */
	window.addEventListener('pageshow', (ev) => {
		if (ev.persisted)
			heartbeatAll();
	});
	wirePlayer();
}

async function main() {
	wire();
	const id = popoutId();
	try {
		if (id) {
			await popoutMain(id);
			return;
		}
		wireHistory();
		const [, live] = await Promise.all([loadHosts().then(setHosts),
		    refreshSessions()]);
		restoreTabs(live);
		scheduleList();
		pollViewers();
		if (shareToken())
			await openShared(shareToken());
		await startConsole();
	} catch (err) {
		showError(err);
	}
}

/* What a popout whose storage was not handed over asks its opener
 * (js/popout.js). */
window.termgate = { sessionFor };

main();
