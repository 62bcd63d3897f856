import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { WARNING } from '../../src/core/warnings';

const ROOT = join(__dirname, '..', '..');

/** Every TypeScript file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    if (e.isDirectory()) return sources(join(dir, e.name));
    return e.name.endsWith('.ts') ? [join(dir, e.name)] : [];
  });
}

describe('warning ids', () => {
  test('each id is the package prefix and its name', () => {
    // GIVEN / WHEN / THEN
    for (const [name, id] of Object.entries(WARNING)) {
      expect(id).toBe(`cdk-access-patterns:${name}`);
    }
  });

  test('the README lists every warning id once, and no other', () => {
    // GIVEN the README's list of warning ids
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const line = readme.split('\n').find(l => l.startsWith('Risky but legal choices leave warnings'));
    // WHEN its ids are read
    const listed = [...(line ?? '').matchAll(/`(cdk-access-patterns:\w+)`/g)].map(m => m[1]);
    // THEN
    expect([...listed].sort()).toEqual(Object.values(WARNING).sort());
  });

  test('a warning id written out in src is one of WARNING', () => {
    // GIVEN the ids that source files pass to addWarningV2 as literals
    const known = new Set<string>(Object.values(WARNING));
    const literals = sources(join(ROOT, 'src'))
      .flatMap(f => [...readFileSync(f, 'utf8').matchAll(/addWarningV2\(\s*'([^']+)'/g)].map(m => m[1]));
    // WHEN / THEN
    expect(literals.filter(id => !known.has(id))).toEqual([]);
  });
});
