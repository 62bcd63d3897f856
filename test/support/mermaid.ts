import { execFile } from 'child_process';
import { join } from 'path';

/**
 * Parses diagrams with Mermaid's own parser (an ES module, so in a child process): for
 * each diagram, null when it parses, else the parser's error.
 */
export function parseMermaid(diagrams: string[]): Promise<Array<string | null>> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [join(__dirname, 'mermaid-check.mjs')], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`mermaid-check failed: ${stderr || error.message}`));
      else resolve(JSON.parse(stdout));
    });
    child.stdin!.end(JSON.stringify(diagrams));
  });
}
