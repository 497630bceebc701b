/*
 * popout.js - a popout window: this same page opened as
 * index.html#popout=ID. It shows only that terminal, keeps it attached,
 * and heartbeats and beacons for it itself, so a popout lives exactly as
 * long as its window; the main page heartbeats and beacons only its
 * embedded terminals.
 */
import { api, sessionPath } from './api.js';
import { $, act } from './dom.js';
import { ended, heartbeat, startHeartbeat, STORE, watch }
    from './sessions.js';
import { remember, setState, toggleFull } from './tabs.js';

/* The session this window pops out, or null on the main page. */
export function popoutId() {
	const m = /^#popout=([0-9a-f]{64})$/.exec(location.hash);
	return m ? m[1] : null;
}

/*
 * What the opener handed over (in sessionStorage, or still in the
 * opener's memory), or null: then there is no token and no beacon.
 */
function popoutData(id) {
	try {
		const v = sessionStorage.getItem(STORE + id);
		if (v)
			return JSON.parse(v);
	} catch (e) {
		/* storage disabled */
	}
	try {
		const d = window.opener && window.opener.termgate &&
		    window.opener.termgate.sessionFor(id);
		if (d) {
			sessionStorage.setItem(STORE + id, JSON.stringify(d));
			return d;
		}
	} catch (e) {
		/* no opener, or another origin */
	}
	return null;
}

/* The popout of session ID: its panel, its terminal, its heartbeats. */
export async function popoutMain(id) {
	document.body.classList.add('popout');
	const panel = $('terminal-tpl').content.cloneNode(true)
	    .querySelector('.terminal');
	$('panels').append(panel);
	$('terminals-empty').hidden = true;

	let d = popoutData(id);
	if (!d || !d.url) {
		/* A reload in a browser that kept no storage: ask. */
		const s = await api('GET', sessionPath(id));
		d = { url: s.url, host_name: s.host_name,
		    interval: s.heartbeat_interval_seconds, token: null };
	}
	const a = remember({ session_id: id, token: d.token, url: d.url,
	    host_id: null, host_name: d.host_name, mode: 'popout',
	    heartbeat_interval_seconds: d.interval });
	a.panel = panel;
	document.title = d.host_name + ' - termgate';
	panel.querySelector('.t-title').textContent = d.host_name;
	const frame = panel.querySelector('.t-frame');
	frame.title = 'Terminal on ' + d.host_name;
	frame.src = d.url;
	watch(a, frame);
	panel.querySelector('.t-full').addEventListener('click',
	    () => toggleFull(a));
	panel.querySelector('.t-close').addEventListener('click',
	    act(async () => {
		await api('DELETE', sessionPath(id));
		ended(a, 'closed');
		window.close();
	    }));
	setState(a, 'active');
	startHeartbeat(a);
	await heartbeat(a);	/* also checks it is still alive */
	frame.focus();
}
