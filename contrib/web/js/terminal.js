/*
 * terminal.js - the terminal pages termgate embeds, one adapter each:
 * ttyd's page exposes its xterm.js as window.term (paste(), bracketed
 * when the shell asked for it, focus()), shellinabox's its ShellInABox as
 * window.shellinabox (keysPressed(), input). The rest of the client types
 * into and focuses a terminal's frame only through typeInto() and
 * focusTerminal(), and keeps it connected through keepAttached(), which
 * loads the terminal's page again when its connection is gone for good.
 */

const SEVERAL = 'it spans several lines and this ';

const ttyd = {
	canType: (w) => !!w.term && typeof w.term.paste === 'function',
	/* A multi-line command only as a bracketed paste, which no shell
	 * runs before Enter. */
	type(w, text) {
		const t = w.term;
		const bracketed = t.modes && t.modes.bracketedPasteMode;
		if (text.includes('\n') && !bracketed)
			return SEVERAL + 'shell would run them at once: copy ' +
			    'it instead';
		t.paste(text);
		return '';
	},
	canFocus: (w) => !!w.term && typeof w.term.focus === 'function',
	focus: (w) => w.term.focus(),
	/* ttyd 1.7 says what became of its WebSocket in an overlay, a
	 * bare <div> in the terminal's element: "Press ⏎ to Reconnect"
	 * when it gave up (after an unclean close, the "error" event turns
	 * its own retry off), "Reconnecting..." while it tries once. */
	canTell: (w) => !!w.term && !!w.term.element,
	state(w) {
		for (const el of w.term.element.children) {
			if (el.tagName !== 'DIV' || el.className)
				continue;
			if (/to Reconnect/.test(el.textContent))
				return 'dead';
			if (/Reconnecting/.test(el.textContent))
				return 'loading';
		}
		return 'live';
	},
};

const shellinabox = {
	canType: (w) => !!w.shellinabox &&
	    typeof w.shellinabox.keysPressed === 'function',
	type(w, text) {
		if (text.includes('\n'))
			return SEVERAL + 'terminal would run them at once: ' +
			    'copy it instead';
		w.shellinabox.keysPressed(text);
		return '';
	},
	canFocus: (w) => !!w.shellinabox && !!w.shellinabox.input,
	focus: (w) => w.shellinabox.input.focus(),
	/* shellinabox polls again by itself after a failed request (the
	 * network gone: its status 0), on the same session; it gives up
	 * only when the session is gone (its daemon forgot it, or
	 * answered an error): "Session closed.", the session dropped,
	 * and a Reconnect button shown. */
	canTell: (w) => !!w.shellinabox &&
	    typeof w.shellinabox.sendRequest === 'function',
	state(w) {
		const s = w.shellinabox;
		if (s.connected)
			return 'live';
		const btn = s.reconnectBtn;
		return !s.session && btn && btn.style.visibility !== 'hidden' ?
		    'dead' : 'loading';
	},
};

const ADAPTERS = [ttyd, shellinabox];

/*
 * Types TEXT into the terminal in FRAME (an iframe) without Enter.
 * Returns '' or why not.
 */
export function typeInto(frame, text) {
	let win, ad;
	try {
		win = frame.contentWindow;
		ad = ADAPTERS.find((x) => x.canType(win));
	} catch (e) {
		return 'its page is out of reach';
	}
	return ad ? ad.type(win, text) : 'the terminal is still loading';
}

/*
 * Gives the terminal in FRAME the keyboard: the frame, then, inside,
 * what the terminal reads keys from. The frame's focus alone leaves its
 * page's body focused, and keys typed there reach no shell.
 */
export function focusTerminal(frame) {
	frame.focus();
	try {
		const win = frame.contentWindow;
		const ad = ADAPTERS.find((x) => x.canFocus(win));
		if (ad)
			ad.focus(win);
	} catch (e) {
		/* a page out of reach: the frame's focus is all there is */
	}
}

/*
 * What the page in FRAME is: 'live' (a terminal, connected), 'dead' (a
 * terminal that lost its connection for good, or an error page in place
 * of one: nginx's while the gateway is down, the browser's own when the
 * network was) or 'loading'.
 */
function pageState(frame) {
	try {
		const w = frame.contentWindow;
		if (!w || w.location.href === 'about:blank')
			return 'loading';
		const ad = ADAPTERS.find((x) => x.canTell(w));
		if (ad)
			return ad.state(w);
		const nav = w.performance.getEntriesByType('navigation')[0];
		if (nav && nav.responseStatus >= 400)
			return 'dead';
		return 'loading';
	} catch (e) {
		/* Out of reach: the browser's error page of a failed load. */
		return 'dead';
	}
}

const WATCH_MS = 250;		/* how often a terminal's page is asked */
const BACKOFF_MS = [250, 500, 1000];	/* between reloads, then the last */
const STUCK_MS = 20000;		/* 'loading' this long is 'dead' */

/*
 * Keeps the terminal in FRAME (an iframe showing URL) attached: when its
 * page says its connection is gone for good (pageState), loads URL
 * again, which attaches the same session again (termgate-pty repaints
 * the screen and scrollback of the shell it kept); while that fails
 * (the network or the gateway not back yet), again after a back-off,
 * at once when the browser says it is online again. Only after each
 * load has ended is the page asked again, so a slow load is never cut
 * short. TELL(state) hears 'reconnecting' and then 'live' again.
 * Returns a function that stops it; the caller calls it when the
 * session ends.
 */
export function keepAttached(frame, url, tell) {
	let tries = 0;			/* reloads since it was last live */
	let next = 0;			/* no reload before this time */
	let loading = Date.now();	/* a load under way since, or 0 */
	let since = loading;		/* last live, or last load's end */
	const loaded = () => {
		loading = 0;
		since = Date.now();
	};
	const online = () => {
		next = 0;
	};
	const tick = () => {
		const now = Date.now();
		if (loading && now - loading < STUCK_MS)
			return;		/* its end tells */
		const st = loading ? 'dead' : pageState(frame);
		if (st === 'live') {
			if (tries > 0)
				tell('live');
			tries = 0;
			since = now;
			return;
		}
		if (now < next || (st === 'loading' && now - since < STUCK_MS))
			return;
		if (tries === 0)
			tell('reconnecting');
		next = now + BACKOFF_MS[Math.min(tries, BACKOFF_MS.length - 1)];
		tries++;
		loading = now;
		try {
			frame.contentWindow.location.replace(url);
		} catch (e) {
			frame.src = url;
		}
	};
	frame.addEventListener('load', loaded);
	window.addEventListener('online', online);
	const timer = setInterval(tick, WATCH_MS);
	return () => {
		clearInterval(timer);
		frame.removeEventListener('load', loaded);
		window.removeEventListener('online', online);
	};
}
