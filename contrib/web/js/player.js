/*
 * player.js - plays a command's session recording (GET
 * sessions/ID/recording, an asciicast) in the #player dialog with
 * asciinema-player, which make puts in vendor/ and which is loaded only
 * when first needed, from the moment the command started.
 */
import { recording } from './api.js';
import { $ } from './dom.js';
import { typeable, visible } from './text.js';
import { clock, offsetIn } from './time.js';

let player = null;		/* the AsciinemaPlayer shown, or null */
let playerAt = 0;		/* where its command starts, seconds */
let loading = null;		/* the load of vendor/, once */

/* Loads asciinema-player (vendor/) once; rejects when it is not there. */
export function loadPlayer() {
	if (window.AsciinemaPlayer)
		return Promise.resolve();
	if (loading)
		return loading;
	loading = new Promise((resolve, reject) => {
		const css = document.createElement('link');
		css.rel = 'stylesheet';
		css.href = 'vendor/asciinema-player.css';
		document.head.append(css);
		const s = document.createElement('script');
		s.src = 'vendor/asciinema-player.min.js';
		s.onload = () => resolve();
		s.onerror = () => {
			loading = null;
			s.remove();
			reject(new Error('The player ' +
			    '(vendor/asciinema-player.min.js) did not load; ' +
			    'make installs it with the web client'));
		};
		document.head.append(s);
	});
	return loading;
}

/* Plays history ITEM's session recording from the moment ITEM started. */
export async function openRecording(item) {
	const dlg = $('player');
	closePlayer();
	$('player-title').textContent = 'Recording on ' +
	    (item.host_name || item.host_id);
	$('player-command').textContent = visible(item.command);
	$('player-status').textContent = 'Loading the recording…';
	$('player-seek').hidden = true;
	dlg.showModal();
	let text;
	try {
		text = await recording(item.session_id);
		await loadPlayer();
	} catch (err) {
		$('player-status').textContent = err.status === 404 ?
		    'This session has no recording: only sessions whose ' +
		    'terminal records (termgate-pty) have one.' :
		    'The recording could not be shown: ' + err.message;
		return;
	}
	const at = offsetIn(item, text);
	/* The frame at AT as the poster, then the player moved there: play
	 * goes on from the command, not from the start. No idle time is cut,
	 * or AT would point elsewhere. */
	player = window.AsciinemaPlayer.create({ data: text },
	    $('player-box'), { startAt: at, poster: 'npt:' + at,
	    preload: true, autoPlay: false, fit: 'width',
	    idleTimeLimit: 1e9,
	    markers: [[at, typeable(item.command).slice(0, 80)]] });
	playerAt = at;
	await player.seek(at);
	$('player-seek').hidden = false;
	$('player-status').textContent = 'At ' + clock(at) + ', where ' +
	    'the command starts. Space plays and pauses; the arrow keys move.';
	const el = $('player-box').firstElementChild;
	if (el && el.focus)
		el.focus();
}

function closePlayer() {
	if (player) {
		player.dispose();
		player = null;
	}
	$('player-box').replaceChildren();
}

export function wirePlayer() {
	$('player-close').addEventListener('click', () => $('player').close());
	$('player-seek').addEventListener('click', () => {
		if (player)
			player.seek(playerAt);
	});
	$('player').addEventListener('close', closePlayer);
}
