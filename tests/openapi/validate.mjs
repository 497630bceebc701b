// validate.mjs - real answers against doc/openapi.yaml.
//
//	node validate.mjs OPENAPI.yaml EXCHANGES.jsonl
//
// Each line of EXCHANGES is one request tests/openapi/run made through
// nginx and what came back: {"what", "method", "path" (the document's
// path template), "status", "ctype", "headers" (name: value, lower
// case), "body"}. Each must be an answer the document gives: the
// operation exists, the status is one of its responses, the media type
// one of that response's (none for a body-less one), a JSON body valid
// against its schema (ajv, JSON Schema 2020-12, as OpenAPI 3.1 has it)
// and every header it documents that came valid against its schema;
// termgate's own answers have Cache-Control: no-store.
// A request answered 2xx must be one the document takes: its path and
// query parameters and its body valid against their schemas.
// Prints "ok - ..." or "not ok - ..." per exchange, then which
// operations were seen with a 2xx; exits 1 on any failure, or when an
// operation other than the internal ones (reachable only by nginx's
// auth_request) never answered 2xx; the checks are oas.mjs's.
import { readFileSync } from 'node:fs';
import { METHODS, checker, loadDoc } from './oas.mjs';

const [docPath, exPath] = process.argv.slice(2);
const doc = loadDoc(docPath);
const { check } = checker(doc);

let fails = 0;
const ok2xx = new Set();
const lines = readFileSync(exPath, 'utf8').split('\n').filter((l) => l);
for (const line of lines) {
	const x = JSON.parse(line);
	const problems = check(x);
	const name = `${x.what}: ${x.method} ${x.path} ${x.status}`;
	if (problems.length === 0) {
		console.log(`ok - ${name}`);
		if (x.status >= 200 && x.status < 300)
			ok2xx.add(`${x.method} ${x.path}`);
	} else {
		fails++;
		console.log(`not ok - ${name}: ${problems.join('; ')}` +
		    ` (body: ${x.body.slice(0, 300)})`);
	}
}
for (const [path, item] of Object.entries(doc.paths))
	for (const m of METHODS) {
		const op = item[m];
		if (op === undefined || op['x-internal'])
			continue;
		const key = `${m.toUpperCase()} ${path}`;
		if (ok2xx.has(key)) {
			console.log(`ok - ${key}: a 2xx answer validated`);
		} else {
			fails++;
			console.log(`not ok - ${key}: no 2xx answer validated`);
		}
	}
process.exit(fails === 0 ? 0 : 1);
