/*
 * terminal.js - the terminal pages termgate embeds, one adapter each:
 * ttyd's page exposes its xterm.js as window.term (paste(), bracketed
 * when the shell asked for it, focus()), shellinabox's its ShellInABox as
 * window.shellinabox (keysPressed(), input). The rest of the client types
 * into and focuses a terminal's frame only through typeInto() and
 * focusTerminal().
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
