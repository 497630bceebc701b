// oas.mjs - what an answer of termgate's must be, by doc/openapi.yaml:
// checker(doc).check(exchange) lists the problems of one exchange (see
// validate.mjs for its members), [] when the document gives that answer
// (and, for a 2xx, takes that request). Shared by validate.mjs and
// fuzz.mjs.
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

export const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

export function loadDoc(path) {
	return yaml.load(readFileSync(path, 'utf8'));
}

let doc, ajv, compiled;

// The checks of document D (one document at a time).
export function checker(d) {
	doc = d;
	ajv = new Ajv2020({ strict: false, allErrors: true });
	addFormats(ajv);
	ajv.addSchema({ $id: 'doc',
	    ...absolute({ components: doc.components }) });
	compiled = new Map();
	return { check, deref };
}


// Every "#/..." reference made absolute ("doc#/..."), so that a schema
// taken out of the document still reaches the document's components.
function absolute(v) {
	if (Array.isArray(v))
		return v.map(absolute);
	if (v === null || typeof v !== 'object')
		return v;
	const o = {};
	for (const [k, x] of Object.entries(v))
		o[k] = k === '$ref' && typeof x === 'string' &&
		    x.startsWith('#') ? `doc${x}` : absolute(x);
	return o;
}

// An OpenAPI (not schema) reference: #/components/responses/X etc.
function deref(o) {
	while (o !== undefined && o.$ref !== undefined) {
		o = o.$ref.slice(2).split('/').reduce((a, k) =>
		    a[k.replaceAll('~1', '/').replaceAll('~0', '~')], doc);
	}
	return o;
}

function validator(schema) {
	if (!compiled.has(schema))
		compiled.set(schema, ajv.compile(absolute(schema)));
	return compiled.get(schema);
}

const base = (t) => (t ?? '').split(';')[0].trim().toLowerCase();

// VALUE (a string from a query or path) against the schema of a
// parameter: as a number where the schema wants one.
function paramProblems(name, value, schema) {
	const s = deref(schema);
	const num = s?.type === 'integer' || s?.type === 'number';
	const v = validator(schema);
	if (v(num && value !== '' ? Number(value) : value))
		return [];
	return [`parameter ${name}=${value}: ` +
	    v.errors.map((e) => e.message).join('; ')];
}

// The problems of a request that was answered 2xx: the document must
// take it (its path and query parameters, its body and content type).
function requestProblems(x, item, op) {
	const problems = [];
	const params = [...(item.parameters ?? []),
	    ...(op.parameters ?? [])].map(deref);
	const url = new URL(x.url, 'http://termgate');
	const re = new RegExp('^' + x.path.replace(/\{[^}]+\}/g, '([^/]+)') +
	    '$');
	const ids = re.exec(url.pathname)?.slice(1) ?? [];
	for (const p of params) {
		if (p.in === 'path')
			problems.push(...paramProblems(p.name, ids.shift(),
			    p.schema));
		if (p.in !== 'query')
			continue;
		// An empty parameter is no parameter (doc/api.md).
		const value = url.searchParams.get(p.name) || null;
		if (value === null && p.required)
			problems.push(`parameter ${p.name} is required`);
		else if (value !== null)
			problems.push(...paramProblems(p.name, value,
			    p.schema));
	}
	const rb = deref(op.requestBody);
	if (rb === undefined) {
		if (x.reqbody !== '')
			problems.push('a request body, where the document' +
			    ' has none');
		return problems;
	}
	if (x.reqbody === '') {
		if (rb.required)
			problems.push('no request body, which is required');
		return problems;
	}
	const mt = Object.keys(rb.content).find((k) =>
	    base(k) === base(x.reqtype));
	if (mt === undefined)
		return [...problems, `request Content-Type ${x.reqtype}` +
		    ` is not among ${Object.keys(rb.content).join(', ')}`];
	const schema = rb.content[mt].schema ?? {};
	let body = x.reqbody;
	// A body the operation ignores (schema {}) may be anything at all.
	if (Object.keys(schema).length === 0)
		return problems;
	if (base(mt) === 'application/json') {
		try {
			body = JSON.parse(x.reqbody);
		} catch (e) {
			return [...problems, `request body: ${e.message}`];
		}
	} else if (base(mt) === 'application/x-www-form-urlencoded')
		body = Object.fromEntries(new URLSearchParams(x.reqbody));
	const v = validator(schema);
	if (!v(body))
		problems.push(...v.errors.map((e) =>
		    `request body${e.instancePath} ${e.message}`));
	return problems;
}

// The problems of exchange X, [] when it is an answer the document gives.
function check(x) {
	const item = doc.paths[x.path];
	const op = item?.[x.method.toLowerCase()];
	if (op === undefined)
		return [`no operation ${x.method} ${x.path}`];
	if (x.status >= 200 && x.status < 300) {
		const rp = requestProblems(x, item, op);
		if (rp.length > 0)
			return rp;
	}
	const resp = deref(op.responses[String(x.status)] ??
	    op.responses.default);
	if (resp === undefined)
		return [`status ${x.status} is not among ${Object.keys(
		    op.responses).join(' ')}`];
	const problems = [];
	// Every answer of termgate's says no-store (nginx's own do not).
	const nginxOwn = op['x-internal'] && x.status === 404;
	if (!nginxOwn && (x.headers ?? {})['cache-control'] !== 'no-store')
		problems.push('no Cache-Control: no-store');
	if (resp.content === undefined) {
		if (x.body !== '')
			problems.push(`a body where the document has none`);
	} else {
		const mt = Object.keys(resp.content).find((k) =>
		    base(k) === base(x.ctype));
		if (mt === undefined)
			return [`Content-Type ${x.ctype} is not among ` +
			    Object.keys(resp.content).join(', ')];
		const schema = resp.content[mt].schema;
		let body = x.body;
		if (base(mt) === 'application/json') {
			try {
				body = JSON.parse(x.body);
			} catch (e) {
				return [`not JSON: ${e.message}`];
			}
		}
		const v = validator(schema);
		if (schema !== undefined && !v(body))
			problems.push(...v.errors.map((e) =>
			    `body${e.instancePath} ${e.message} ` +
			    JSON.stringify(e.params)));
	}
	for (const [name, h] of Object.entries(resp.headers ?? {})) {
		const value = (x.headers ?? {})[name.toLowerCase()];
		const hs = deref(h).schema;
		if (value === undefined || hs === undefined)
			continue;
		const typed = hs.type === 'integer' ? Number(value) : value;
		const v = validator(hs);
		if (!v(typed))
			problems.push(`header ${name}: ${value}: ` +
			    v.errors.map((e) => e.message).join('; '));
	}
	return problems;
}
