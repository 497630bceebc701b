/*
 * time.js - how the web client writes times and durations: a session's
 * age, a command's run time, "5 min ago", a player position, and where a
 * command starts in its session's recording. Pure functions of their
 * arguments (the clock is one of them), no DOM; tests/web/ runs them
 * under node --test.
 */

/* Whole seconds, coarse: "42 s", "5 min", "2 h 3 min". */
export function duration(seconds) {
	const s = Math.max(0, Math.round(seconds || 0));
	if (s < 60)
		return s + ' s';
	if (s < 3600)
		return Math.floor(s / 60) + ' min';
	return Math.floor(s / 3600) + ' h ' +
	    Math.floor((s % 3600) / 60) + ' min';
}

/* A command's run time: "120 ms", "3.4 s", "2 min 5 s"; '' for none. */
export function runtime(ms) {
	if (ms === null || ms === undefined)
		return '';
	if (ms < 1000)
		return ms + ' ms';
	if (ms < 60000)
		return (ms / 1000).toFixed(1) + ' s';
	return Math.floor(ms / 60000) + ' min ' +
	    Math.round((ms % 60000) / 1000) + ' s';
}

/*
 * The run time of a history ITEM (doc/api.md, "History items"), or ''
 * when its end is not known. A typed command (source "typed") is only
 * what was typed before Enter: termgate-pty now records no finished_at
 * for it (duration_ms null), but rows captured before that have
 * finished_at = started_at, whose duration_ms (0) says nothing.
 */
export function commandRuntime(item) {
	if (item.source === 'typed' || typeof item.duration_ms !== 'number')
		return '';
	return runtime(item.duration_ms);
}

/* ISO time ISO seen at NOW (ms): "just now", "5 min ago", "3 d ago", or
 * the date; '' for a time that does not parse. */
export function ago(iso, now = Date.now()) {
	const t = Date.parse(iso);
	const s = Math.round((now - t) / 1000);
	if (isNaN(t))
		return '';
	if (s < 10)
		return 'just now';
	if (s < 60)
		return s + ' s ago';
	if (s < 3600)
		return Math.floor(s / 60) + ' min ago';
	if (s < 86400)
		return Math.floor(s / 3600) + ' h ago';
	if (s < 30 * 86400)
		return Math.floor(s / 86400) + ' d ago';
	return new Date(t).toLocaleDateString();
}

/* A position in a recording, S seconds: "2:05". */
export function clock(s) {
	const m = Math.floor(s / 60);
	const r = Math.floor(s % 60);
	return m + ':' + (r < 10 ? '0' : '') + r;
}

/*
 * Where history ITEM starts in the recording TEXT (an asciicast v2), in
 * seconds: its recording_offset, else its start less the recording's
 * (the header's timestamp), else the beginning.
 */
export function offsetIn(item, text) {
	if (typeof item.recording_offset === 'number')
		return item.recording_offset;
	try {
		const head = JSON.parse(text.slice(0, text.indexOf('\n')));
		const t = Date.parse(item.started_at) / 1000 - head.timestamp;
		if (typeof head.timestamp === 'number' && t >= 0)
			return t;
	} catch (e) {
		/* no header timestamp */
	}
	return 0;
}
