/*
 * replay.js - any session's recording with its commands as a timeline
 * beside the player (the #replay dialog of the operator's console).
 * The commands are the session's history rows (GET history with
 * user=* and session_id, every page), placed at their offsets in the
 * recording (time.js's offsetIn) in order; the recording is played by
 * asciinema-player (player.js loads it). A click on a command seeks the
 * player there; while it plays, the command under the playhead
 * (ops.js's commandAt) is marked, asked of the player a few times a
 * second while the dialog is open.
 */
import { api, recording } from './api.js';
import { $, button } from './dom.js';
import { commandAt } from './ops.js';
import { loadPlayer } from './player.js';
import { visible, typeable } from './text.js';
import { clock, offsetIn } from './time.js';

const TICK_MS = 200;		/* how often the playhead is asked */
const PAGES = 20;		/* of 200 commands, at most */

const rp = { player: null, timer: null, offsets: [], at: -2, seq: 0 };

/* Every command of session ID, oldest first (at most PAGES pages). */
async function commandsOf(id) {
	const items = [];
	let cursor = null;
	for (let i = 0; i < PAGES; i++) {
		const q = new URLSearchParams({ user: '*', session_id: id,
		    limit: '200' });
		if (cursor)
			q.set('cursor', cursor);
		const data = await api('GET', '/history?' + q);
		items.push(...data.items);
		cursor = data.next_cursor;
		if (!cursor)
			break;
	}
	return items.reverse();
}

/* The timeline's entry for command ITEM at OFF seconds. */
function entry(item, off, i) {
	const li = document.createElement('li');
	li.dataset.offset = String(off);
	const b = button('', () => seekTo(i), { className: 'r-cmd',
	    title: 'Play from here (' + clock(off) + ')' });
	const t = document.createElement('span');
	t.className = 'r-at muted';
	t.textContent = clock(off);
	const c = document.createElement('code');
	c.textContent = visible(item.command);
	b.append(t, c);
	if (item.typed_by) {
		const by = document.createElement('span');
		by.className = 'r-by muted';
		by.textContent = 'typed by ' + item.typed_by;
		b.append(' ', by);
	}
	if (item.exit_status !== null && item.exit_status !== 0)
		b.classList.add('r-failed');
	li.append(b);
	return li;
}

/* Seeks to command I of the timeline, and marks it at once. */
async function seekTo(i) {
	if (!rp.player)
		return;
	await rp.player.seek(rp.offsets[i]);
	mark(i);
	await showAt();
}

/* Marks command I (-1: none) as the one under the playhead. */
function mark(i) {
	if (i === rp.at)
		return;
	rp.at = i;
	const items = $('replay-cmds').children;
	for (let k = 0; k < items.length; k++) {
		const on = k === i;
		items[k].classList.toggle('current', on);
		if (on) {
			items[k].setAttribute('aria-current', 'true');
			items[k].scrollIntoView({ block: 'nearest' });
		} else {
			items[k].removeAttribute('aria-current');
		}
	}
}

/* Asks the player where it is; marks and says it. */
async function showAt() {
	if (!rp.player)
		return;
	const t = await rp.player.getCurrentTime();
	if (typeof t !== 'number')
		return;
	mark(commandAt(rp.offsets, t));
	$('replay-at').textContent = t.toFixed(1) + ' s';
}

function closeReplay() {
	clearInterval(rp.timer);
	rp.timer = null;
	if (rp.player)
		rp.player.dispose();
	rp.player = null;
	rp.offsets = [];
	rp.at = -2;
	$('replay-box').replaceChildren();
	$('replay-cmds').replaceChildren();
}

/* The player for recording TEXT with the commands at OFFSETS marked. */
function makePlayer(text, cmds) {
	return window.AsciinemaPlayer.create({ data: text }, $('replay-box'),
	    { preload: true, autoPlay: false, fit: 'width',
	    idleTimeLimit: 1e9, markers: cmds.map((c, i) =>
	    [rp.offsets[i], typeable(c.command).slice(0, 80)]) });
}

/*
 * Opens session S's (a row of the admin list, or an event: session_id,
 * username, host_name or host_id) recording with its commands.
 */
export async function openReplay(s) {
	const seq = ++rp.seq;
	closeReplay();
	$('replay-title').textContent = 'Recording of ' +
	    (s.username || '?') + ' on ' + (s.host_name || s.host_id || '?');
	$('replay-status').textContent = 'Loading the recording…';
	$('replay-at').textContent = '';
	$('replay').showModal();
	let text, cmds;
	try {
		[text, cmds] = await Promise.all([recording(s.session_id),
		    commandsOf(s.session_id), loadPlayer()]);
	} catch (err) {
		if (seq === rp.seq)
			$('replay-status').textContent = err.status === 404 ?
			    'This session has no recording.' :
			    'The recording could not be shown: ' + err.message;
		return;
	}
	if (seq !== rp.seq || !$('replay').open)
		return;
	const placed = cmds.map((c) => [offsetIn(c, text), c])
	    .sort((x, y) => x[0] - y[0]);
	rp.offsets = placed.map((p) => p[0]);
	$('replay-cmds').replaceChildren(...placed.map((p, i) =>
	    entry(p[1], p[0], i)));
	rp.player = makePlayer(text, placed.map((p) => p[1]));
	$('replay-status').textContent = placed.length + (placed.length === 1 ?
	    ' command' : ' commands') + '. Click one to play from it.';
	rp.timer = setInterval(() => showAt().catch(() => {}), TICK_MS);
}

export function wireReplay() {
	$('replay-close').addEventListener('click', () => $('replay').close());
	$('replay').addEventListener('close', () => {
		rp.seq++;
		closeReplay();
	});
}
