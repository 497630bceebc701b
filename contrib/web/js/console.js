/*
 * console.js - the operator's console, for admins only: the page asks
 * the admin list once (GET admin/sessions; 403 for anyone else) and
 * shows the Console button only to whom it answered; every call the
 * console makes is checked by the server all the same. The console has
 * two views, every user's sessions (live.js: watch, join, recording
 * with its commands, terminate) and the audit trail (audit.js); the
 * history search over every user is the history panel's (history.js,
 * "Every user"), which the console opens.
 */
import { api } from './api.js';
import { $, act } from './dom.js';
import { searchEvents, wireAudit } from './audit.js';
import { showAllHistory } from './history.js';
import { showSessions, wireLive } from './live.js';
import { wireReplay } from './replay.js';

const cs = { open: false, view: 'sessions', admin: false };

/* Whether the caller is an admin, as the API says: true, or false
 * (403, or any failure: the console stays hidden). */
async function isAdmin() {
	try {
		await api('GET', '/admin/sessions?limit=1');
		return true;
	} catch (err) {
		return false;
	}
}

/* Shows view NAME ('sessions' or 'events') of the console. */
function showView(name) {
	cs.view = name;
	for (const v of ['sessions', 'events']) {
		$('c-view-' + v).hidden = v !== name;
		$('c-tab-' + v).setAttribute('aria-selected',
		    String(v === name));
	}
	showSessions(cs.open && name === 'sessions');
	if (name === 'events')
		return searchEvents();
}

function openConsole() {
	cs.open = true;
	$('console').hidden = false;
	document.body.classList.add('console-open');
	$('console-toggle').setAttribute('aria-expanded', 'true');
	$('console-title').focus();
	return showView(cs.view);
}

/* Closes the console; the terminals show again. */
export function closeConsole() {
	if (!cs.open)
		return;
	cs.open = false;
	showSessions(false);
	$('console').hidden = true;
	document.body.classList.remove('console-open');
	$('console-toggle').setAttribute('aria-expanded', 'false');
}

/* Asks the API whether to offer the console, and wires it if so. */
export async function startConsole() {
	if (!(cs.admin = await isAdmin()))
		return;
	$('console-toggle').hidden = false;
	$('h-all-box').hidden = false;
	$('console-toggle').addEventListener('click', act(() =>
	    cs.open ? closeConsole() : openConsole()));
	$('console-close').addEventListener('click', closeConsole);
	$('c-tab-sessions').addEventListener('click',
	    act(() => showView('sessions')));
	$('c-tab-events').addEventListener('click',
	    act(() => showView('events')));
	$('c-history').addEventListener('click', () => {
		closeConsole();
		showAllHistory();
	});
	wireLive(closeConsole);
	wireAudit();
	wireReplay();
}
