/*
 * api.js - the web client's one way to termgate's HTTP API (same origin,
 * /api/terminal/, doc/api.md): JSON calls, the beacon, a session's
 * recording, the export's address. A failed call rejects with an
 * ApiError carrying the API's {error, message}, or a made-up one for a
 * network failure or an answer that is not the API's (an nginx error
 * page).
 */

export const API = '/api/terminal';

export class ApiError extends Error {
	constructor(status, body) {
		super(body.message || 'Request failed');
		this.status = status;
		this.code = body.error || 'HTTP_' + status;
		this.body = body;
	}
}

/* The API's error of a failed RES whose body was TEXT. */
export function apiError(res, text) {
	let data = null;
	try {
		data = JSON.parse(text);
	} catch (e) {
		data = null;
	}
	if (data === null || typeof data.error !== 'string')
		data = { error: 'HTTP_' + res.status,
		    message: 'The server answered ' + res.status +
		    (res.statusText ? ' ' + res.statusText : '') + '.' };
	return new ApiError(res.status, data);
}

/* fetch(), with a network failure as an ApiError; an abort stays one. */
async function get(url, opt) {
	try {
		return await fetch(url, opt);
	} catch (e) {
		if (e.name === 'AbortError')
			throw e;
		throw new ApiError(0, { error: 'NETWORK',
		    message: 'Cannot reach the server.' });
	}
}

/*
 * One call to the API: METHOD on PATH (below /api/terminal) with BODY
 * (JSON; none when undefined). Resolves to the parsed JSON answer (null
 * when empty). OPTS.signal aborts it.
 */
export async function api(method, path, body, opts) {
	const opt = {
		method: method,
		credentials: 'same-origin',
		cache: 'no-store',
		headers: { 'Accept': 'application/json' },
		signal: opts && opts.signal,
	};
	if (method !== 'GET') {
		opt.headers['Content-Type'] = 'application/json';
		if (body !== undefined)
			opt.body = JSON.stringify(body);
	}
	const res = await get(API + path, opt);
	const text = await res.text();
	if (!res.ok)
		throw apiError(res, text);
	return text === '' ? null : JSON.parse(text);
}

export const sessionPath = (id) => '/sessions/' + encodeURIComponent(id);

/* Session ID's recording (an asciicast), as text. */
export async function recording(id) {
	const res = await get(API + sessionPath(id) + '/recording',
	    { credentials: 'same-origin', cache: 'no-store' });
	const text = await res.text();
	if (!res.ok)
		throw apiError(res, text);
	return text;
}

/* Tells the server, authenticated by the session's TOKEN, that this
 * window no longer shows session ID (on pagehide). */
export function beacon(id, token) {
	navigator.sendBeacon(API + sessionPath(id) + '/beacon',
	    new Blob([token], { type: 'text/plain' }));
}

/* Where the history search P downloads as CSV. */
export function exportUrl(p) {
	const q = new URLSearchParams(p);
	q.set('format', 'csv');
	return API + '/history/export?' + q;
}
