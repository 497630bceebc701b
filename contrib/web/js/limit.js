/*
 * limit.js - the dialog of a 429 SESSION_LIMIT: the user's active
 * sessions (oldest first) and a button for each action the API suggests
 * (reuse_existing, close_oldest, close_session:ID), each retrying the
 * open that hit the limit. The caller hands in how to open and close, so
 * that this module needs nothing of sessions.js.
 */
import { $, act, button } from './dom.js';
import { duration } from './time.js';

/* A row of the table for session S, with its close button if ACTIONS
 * offer one. */
function limitRow(s, actions, closeAndOpen) {
	const tr = document.createElement('tr');
	for (const text of [s.host_name, s.mode, duration(s.age_seconds),
	    duration(s.last_seen_seconds) + ' ago']) {
		const td = document.createElement('td');
		td.textContent = text;
		tr.append(td);
	}
	const td = document.createElement('td');
	if (actions.includes('close_session:' + s.session_id))
		td.append(button('Close this one and open',
		    act(() => closeAndOpen(s)), { className: 'small',
		    ariaLabel: 'Close the session on ' + s.host_name + ' (' +
		    s.mode + ', ' + duration(s.age_seconds) +
		    ' old) and open the new one' }));
	tr.append(td);
	return tr;
}

/*
 * Shows the SESSION_LIMIT answer BODY of an open of HOSTID in MODE.
 * OPS.open(hostId, mode, opts) and OPS.close(sessionId) do what the
 * buttons ask.
 */
export function showLimit(body, hostId, mode, ops) {
	const dlg = $('limit');
	const sessions = body.active_sessions || [];
	const actions = body.suggested_actions || [];
	const then = (fn) => act(async () => {
		dlg.close();
		await fn();
	});

	$('limit-text').textContent = (body.message ||
	    'You have too many terminals open.') + ' Choose what to do:';
	$('limit-rows').replaceChildren(...sessions.map((s) =>
	    limitRow(s, actions, async (x) => {
		dlg.close();
		await ops.close(x.session_id);
		await ops.open(hostId, mode);
	    })));

	const box = $('limit-actions');
	box.replaceChildren();
	for (const action of actions) {
		if (action === 'reuse_existing') {
			const r = sessions.find((x) =>
			    x.session_id === body.reusable_session_id);
			const rmode = r ? r.mode : mode;
			box.append(button('Use my open terminal on ' +
			    (r ? r.host_name : hostId) + ' (' + rmode + ')',
			    then(() => ops.open(r ? r.host_id : hostId, rmode,
			    { reuse: true })), { className: 'primary' }));
		} else if (action === 'close_oldest' && sessions.length) {
			const o = sessions[0];
			box.append(button('Close the oldest (' + o.host_name +
			    ', ' + duration(o.age_seconds) + ') and open',
			    then(() => ops.open(hostId, mode, { reuse: true,
			    on_limit: 'close_oldest' }))));
		}
		/* close_session:ID buttons are in the table rows. */
	}
	if (dlg.open)
		dlg.close();
	dlg.showModal();
}

/* Empties the dialog when it closes. */
export function wireLimit() {
	$('limit').addEventListener('close', () => {
		$('limit-rows').replaceChildren();
		$('limit-actions').replaceChildren();
	});
}
