// fuzz.mjs - generated requests to every operation of doc/openapi.yaml
// but the internal ones, through nginx: property-based (fast-check), the
// path ids, query parameters, bodies and content types drawn from the
// document's schemas (valid values, values near their limits) and from
// anything at all. The property: no answer is a 5xx, and every answer is
// one the document gives, for a 2xx to a request it takes (oas.mjs). A
// failure is shrunk to a small request and printed with fast-check's
// seed, to run again (TG_OPENAPI_SEED=SEED make check ...).
//
//	node fuzz.mjs OPENAPI.yaml BASE SESSION_ID RUNS
//
// BASE is the nginx of tests/openapi/run (the user in X-Test-User),
// SESSION_ID a live session of the user alice. Prints "ok - ..." or "not
// ok - ..." per operation; exits 1 on any failure.
import fc from 'fast-check';
import { METHODS, checker, loadDoc } from './oas.mjs';

const [docPath, base, sessionId, runs] = process.argv.slice(2);
const doc = loadDoc(docPath);
const { check, deref } = checker(doc);

// Anything: strings of any characters, and of URL-safe ones (a path
// segment: no "/" that would make it another path).
const anyText = fc.string({ maxLength: 40, unit: 'binary' });
const segment = fc.stringMatching(/^[A-Za-z0-9._~-]{1,70}$/);

// A path segment that stays one: not "." or "..", nothing to decode.
const isSegment = (v) => /^[A-Za-z0-9._~-]+$/.test(v) && v !== '.' &&
    v !== '..';

// Values for SCHEMA, as text (a query or path value): mostly what it
// describes or just outside it, sometimes anything.
function textFor(schema) {
	const s = deref(schema) ?? {};
	const some = [];
	if (s.enum !== undefined)
		some.push(fc.constantFrom(...s.enum.map(String)));
	if (s.const !== undefined)
		some.push(fc.constant(String(s.const)));
	if (s.pattern !== undefined)
		some.push(fc.stringMatching(new RegExp(s.pattern)));
	if (s.type === 'integer')
		some.push(fc.integer({ min: (s.minimum ?? -1e6) - 2,
		    max: (s.maximum ?? 1e6) + 2 }).map(String));
	if (s.format === 'date-time')
		some.push(fc.date({ noInvalidDate: true,
		    min: new Date('1900-01-01'), max: new Date('2200-01-01') })
		    .map((d) => d.toISOString()));
	for (const sub of [...(s.anyOf ?? []), ...(s.oneOf ?? [])])
		some.push(textFor(sub));
	if (s.$ref?.endsWith('/SessionId') || s.pattern === '^[0-9a-f]{64}$')
		some.push(fc.constant(sessionId));
	return fc.oneof(...some, anyText, fc.constant(''));
}

// A JSON value for SCHEMA: an object with some of its members (each of
// the right kind or not), or any JSON at all.
function jsonFor(schema) {
	const s = deref(schema) ?? {};
	if (s.type !== 'object')
		return fc.jsonValue();
	const members = {};
	for (const [k, p] of Object.entries(s.properties ?? {})) {
		const ps = deref(p);
		const right = ps.type === 'boolean' ? fc.boolean() :
		    ps.type === 'integer' ? fc.integer() : textFor(ps);
		members[k] = fc.oneof(right, right, fc.jsonValue());
	}
	return fc.oneof({ weight: 4, arbitrary: fc.record(members,
	    { requiredKeys: [] }) }, fc.jsonValue());
}

// A request body (its text) and content type for OP; none for an
// operation that takes none (a GET).
function bodyFor(op) {
	const rb = deref(op.requestBody);
	if (rb === undefined)
		return fc.record({ ctype: fc.constantFrom('',
		    'application/json'), text: fc.constant('') });
	const types = Object.keys(rb?.content ?? { 'application/json': {} });
	const right = fc.constantFrom(...types);
	const ctype = fc.oneof({ weight: 5, arbitrary: right },
	    fc.constantFrom('', 'text/plain', 'application/json',
	    'application/x-www-form-urlencoded', 'multipart/form-data'));
	const json = rb?.content?.['application/json'] !== undefined ?
	    jsonFor(rb.content['application/json'].schema)
	    .map((v) => JSON.stringify(v)) : fc.constant('');
	const text = fc.oneof(json, json, fc.constant(''), anyText,
	    fc.constant('{'), anyText.map((t) => `token=${t}`));
	return fc.record({ ctype, text });
}

// A request to OP at path TEMPLATE, with its path item ITEM.
function requestFor(template, item, op) {
	const params = [...(item.parameters ?? []), ...(op.parameters ?? [])]
	    .map(deref);
	const path = {}, query = {};
	for (const p of params) {
		if (p.in === 'path')
			path[p.name] = fc.oneof(textFor(p.schema), segment)
			    .filter(isSegment);
		else if (p.in === 'query')
			query[p.name] = textFor(p.schema);
	}
	return fc.record({
		path: fc.record(path),
		query: fc.record(query, { requiredKeys: [] }),
		body: bodyFor(op),
		user: fc.constantFrom('alice', 'alice', 'admin', 'bob', ''),
	});
}

// Sends request R to OP (METHOD, TEMPLATE); the exchange, as oas.mjs
// takes it.
async function send(method, template, r) {
	let url = template.replace(/\{([^}]+)\}/g,
	    (_, name) => encodeURIComponent(r.path[name]));
	const qs = new URLSearchParams(r.query).toString();
	if (qs !== '')
		url += `?${qs}`;
	const headers = {};
	if (r.user !== '')
		headers['X-Test-User'] = r.user;
	if (r.body.ctype !== '')
		headers['Content-Type'] = r.body.ctype;
	const res = await fetch(base + url, { method, headers,
	    body: r.body.text === '' ? undefined : r.body.text });
	const body = await res.text();
	return { what: 'fuzz', method, path: template, url,
	    reqbody: r.body.text, reqtype: r.body.ctype, status: res.status,
	    ctype: res.headers.get('content-type') ?? '',
	    headers: Object.fromEntries(res.headers), body };
}

// The property of operation METHOD TEMPLATE: each generated request is
// answered below 500, with an answer the document gives.
function property(method, template, item, op) {
	return fc.asyncProperty(requestFor(template, item, op),
	    async (r) => {
		const x = await send(method, template, r);
		const problems = check(x);
		if (x.status >= 500)
			problems.unshift(`answered ${x.status}`);
		const answer = `${x.status} ${x.body.slice(0, 200)}`;
		if (problems.length > 0)
			throw new Error(`${answer}: ${problems.join('; ')}`);
	});
}

// TG_OPENAPI_SEED: the seed of a failure, to run it again.
const seed = process.env.TG_OPENAPI_SEED ?
    { seed: Number(process.env.TG_OPENAPI_SEED) } : {};
let fails = 0;
for (const [template, item] of Object.entries(doc.paths)) {
	for (const m of METHODS) {
		const op = item[m];
		if (op === undefined || op['x-internal'])
			continue;
		const name = `${m.toUpperCase()} ${template}`;
		try {
			await fc.assert(property(m.toUpperCase(), template,
			    item, op), { numRuns: Number(runs), ...seed });
			console.log(`ok - ${name}: ${runs} generated requests`);
		} catch (e) {
			fails++;
			const why = e.message.split('\n').filter((l) =>
			    /seed|Counterexample|error/i.test(l));
			console.log(`not ok - ${name}: ${why.join('\n#   ')}` +
			    `\n#   ${e.cause?.message ?? ''}`);
		}
	}
}
process.exit(fails === 0 ? 0 : 1);
