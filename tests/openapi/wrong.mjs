// wrong.mjs - a copy of doc/openapi.yaml that termgate does not follow,
// for tests/openapi/run's check that prism (tests/openapi/lib.sh)
// catches a violation in either direction.
//
//	node wrong.mjs OPENAPI.yaml > WRONG.yaml
//
// In the copy GET /api/terminal/hosts answers an object with a member
// "nope" (termgate's has none), and GET /api/terminal/history takes
// a limit of 1 at most (termgate takes up to 200).
import { loadDoc } from './oas.mjs';
import yaml from 'js-yaml';

const doc = loadDoc(process.argv[2]);
doc.paths['/api/terminal/hosts'].get.responses['200'].content[
    'application/json'].schema = { type: 'object', required: ['nope'] };
const h = doc.paths['/api/terminal/history'].get;
h.parameters = [...h.parameters.filter((p) => p.name !== 'limit'),
	{ name: 'limit', in: 'query',
	    schema: { type: 'integer', minimum: 1, maximum: 1 } }];
process.stdout.write(yaml.dump(doc, { noRefs: true }));
