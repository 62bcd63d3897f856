import * as fs from 'fs';
import * as path from 'path';
import { checkCode, CodeBlock, codeBlocks, CodeProblem, markdownFiles, ROOT } from './readme-code';

/**
 * Every ```ts block of README.md and of the folder READMEs is a complete program that
 * compiles against the package (imported by its name, as users import it) without calling
 * a deprecated API; the example apps call none either. One program checks them all.
 */
const blocks: CodeBlock[] = markdownFiles().flatMap(codeBlocks);
const examples = fs.readdirSync(path.join(ROOT, 'examples'))
  .filter(f => f.endsWith('.ts'))
  .map(f => path.join(ROOT, 'examples', f));

let problems: Map<string, CodeProblem[]>;
beforeAll(() => {
  problems = checkCode(blocks, examples);
}, 120_000);

const show = (list: CodeProblem[]): string[] => list.map(p => `${p.where}: ${p.message}`);

describe('README code blocks compile against the package', () => {
  test('there are blocks to check in README.md and the folder READMEs', () => {
    expect(blocks.filter(b => b.file === 'README.md').length).toBeGreaterThan(5);
    expect(blocks.filter(b => b.file !== 'README.md').length).toBeGreaterThan(3);
  });

  test.each(blocks.map(b => [`${b.file}:${b.line}`, b] as const))('%s', (_where, block) => {
    // Complete code: no elisions that a reader cannot paste.
    const placeholders = block.code.split('\n')
      .map((text, i) => ({ text, line: block.line + 1 + i }))
      .filter(({ text }) => /\[\s*\.\.\.\s*\]|\{\s*\.\.\.\s*\}|\(\s*\.\.\.\s*\)|^\s*\.\.\.\s*$|\/\/\s*\.\.\.\s*$/.test(text))
      .map(({ line, text }) => `${block.file}:${line}: placeholder in '${text.trim()}'`);
    expect([...placeholders, ...show(problems.get(block.fileName)!)]).toEqual([]);
  });
});

describe('the example apps call no deprecated API', () => {
  test.each(examples.map(f => [path.relative(ROOT, f), f]))('%s', (_name, file) => {
    const deprecated = problems.get(file)!.filter(p => /^TS(6385|6387):/.test(p.message));
    expect(show(deprecated)).toEqual([]);
  });
});
