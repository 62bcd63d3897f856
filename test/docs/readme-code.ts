import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/** The repository root. */
export const ROOT = path.resolve(__dirname, '..', '..');

/** TypeScript's codes for a call of a deprecated API (suggestion diagnostics). */
export const DEPRECATED_CODES = [6385, 6387];

/** A ```ts block of a Markdown file. */
export interface CodeBlock {
  /** The Markdown file, relative to the root (`README.md`, `src/eks/README.md`). */
  readonly file: string;
  /** The line of the opening fence (1-based). */
  readonly line: number;
  /** The code between the fences. */
  readonly code: string;
  /** The in-memory file the block is compiled as. */
  readonly fileName: string;
}

/** A problem in a block or an example, at a line of its Markdown or source file. */
export interface CodeProblem {
  /** `README.md:123` */
  readonly where: string;
  /** The compiler's message, with its code. */
  readonly message: string;
}

/** README.md and every README.md under src/, relative to the root. */
export function markdownFiles(): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (entry.name === 'README.md') found.push(rel);
    }
  };
  walk('src');
  return ['README.md', ...found.sort()];
}

/** Every ```ts (or ```typescript) block of the file, with the line of its opening fence. */
export function codeBlocks(file: string): CodeBlock[] {
  const lines = fs.readFileSync(path.join(ROOT, file), 'utf-8').split('\n');
  const blocks: CodeBlock[] = [];
  let start: number | undefined;
  let fence = '';
  let body: string[] = [];
  lines.forEach((text, i) => {
    if (start === undefined) {
      const open = /^(\s*)(`{3,}|~{3,})\s*(ts|typescript)\s*$/.exec(text);
      if (open) {
        start = i + 1;
        fence = open[2];
        body = [];
      }
      return;
    }
    if (text.trim() === fence) {
      const fileName = path.join(ROOT, '.readme-code', `${file.replace(/[/.]/g, '_')}_L${start}.ts`);
      blocks.push({ file, line: start, code: body.join('\n') + '\n', fileName });
      start = undefined;
      return;
    }
    body.push(text);
  });
  if (start !== undefined) throw new Error(`${file}:${start}: the code block is never closed`);
  return blocks;
}

/**
 * Compiler options for the blocks: the package's own (tsconfig.json), with the package
 * name mapped to `src/index.ts` the way an installed package resolves to its `lib/`.
 * Unused names are allowed (a snippet may show a value it does not use); every block is a
 * module of its own, so names never clash between blocks.
 */
function compilerOptions(): ts.CompilerOptions {
  const read = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  const { rootDir: _rootDir, outDir: _outDir, ...base } = read.config.compilerOptions;
  const config = {
    compilerOptions: {
      ...base,
      noEmit: true,
      baseUrl: '.',
      paths: { 'cdk-access-patterns': ['src/index.ts'] },
      noUnusedLocals: false,
      noUnusedParameters: false,
      moduleDetection: 'force',
      types: ['node'],
    },
    files: [],
  };
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, ROOT);
  // 18002: the empty 'files' list; the files are given to the program directly.
  parsed.errors = parsed.errors.filter(d => d.code !== 18002);
  if (parsed.errors.length > 0) throw new Error(parsed.errors.map(d => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n'));
  return parsed.options;
}

/**
 * Type-checks every block and every given source file (e.g. the examples) in one program,
 * and returns the problems of each: compiler errors, and calls of deprecated APIs.
 * Problems are keyed by block file name or source path, each at its line in the Markdown
 * or source file.
 */
export function checkCode(blocks: CodeBlock[], sources: string[] = []): Map<string, CodeProblem[]> {
  const virtual = new Map(blocks.map(b => [b.fileName, b]));
  const options = compilerOptions();
  const host: ts.LanguageServiceHost = {
    getScriptFileNames: () => [...virtual.keys(), ...sources],
    getScriptVersion: () => '1',
    getScriptSnapshot: f => {
      const text = virtual.get(f)?.code ?? ts.sys.readFile(f);
      return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
    },
    getCurrentDirectory: () => ROOT,
    getCompilationSettings: () => options,
    getDefaultLibFileName: o => ts.getDefaultLibFilePath(o),
    fileExists: f => virtual.has(f) || ts.sys.fileExists(f),
    readFile: f => virtual.get(f)?.code ?? ts.sys.readFile(f),
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
    realpath: ts.sys.realpath,
  };
  const service = ts.createLanguageService(host, ts.createDocumentRegistry());
  const program = service.getProgram()!;
  const global = program.getGlobalDiagnostics();
  if (global.length > 0) throw new Error(global.map(d => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n'));

  const results = new Map<string, CodeProblem[]>();
  for (const fileName of [...virtual.keys(), ...sources]) {
    const sourceFile = program.getSourceFile(fileName)!;
    const block = virtual.get(fileName);
    const diagnostics = [
      ...program.getSyntacticDiagnostics(sourceFile),
      ...program.getSemanticDiagnostics(sourceFile),
      ...service.getSuggestionDiagnostics(fileName).filter(d => DEPRECATED_CODES.includes(d.code)),
    ];
    results.set(fileName, diagnostics.map(d => {
      const line = d.start === undefined ? 0 : sourceFile.getLineAndCharacterOfPosition(d.start).line;
      const where = block ? `${block.file}:${block.line + 1 + line}` : `${path.relative(ROOT, fileName)}:${line + 1}`;
      return { where, message: `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}` };
    }));
  }
  return results;
}
