// Parse an AsyncAPI document with @asyncapi/parser; print every diagnostic; exit 1 on any error.
// Usage: node validate.mjs <asyncapi.yaml>   (after `npm ci` in this folder; `make install` does it)
import { Parser, fromFile } from '@asyncapi/parser';
const parser = new Parser();
const { document, diagnostics } = await fromFile(parser, process.argv[2]).parse();
const bySeverity = {0: 'error', 1: 'warning', 2: 'info', 3: 'hint'};
for (const d of diagnostics) console.log(bySeverity[d.severity], d.code, d.path.join('.'), '-', d.message);
console.log(document ? `parsed: AsyncAPI ${document.version()}, ${document.channels().length} channels, ${document.operations().length} operations, ${document.allMessages().length} messages` : 'NOT PARSED');
process.exit(diagnostics.some(d => d.severity === 0) || !document ? 1 : 0);
