// Parses Mermaid diagrams with Mermaid's own parser, in a DOM from jsdom (Mermaid needs one
// to load). Reads a JSON array of diagram texts on stdin; prints a JSON array with, for each,
// null when it parses or the parser's first error line.
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');

let input = '';
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const text of JSON.parse(input)) {
  try {
    await mermaid.parse(text);
    results.push(null);
  } catch (e) {
    results.push(String(e?.message ?? e).split('\n').slice(0, 3).join(' '));
  }
}
process.stdout.write(JSON.stringify(results));
