/**
 * Jest snapshot serializer: masks content hashes (asset hashes, S3 keys of assets) so
 * that snapshots only change when the template does.
 */
const HASH = /[a-f0-9]{64}/g;
const MASK = '[HASH REMOVED]';

function mask(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(HASH, MASK);
  if (Array.isArray(value)) return value.map(mask);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k.replace(HASH, MASK)] = mask(v);
    return out;
  }
  return value;
}

const MASKED = Symbol.for('cdk-access-patterns.masked');

module.exports = {
  test(value: unknown): boolean {
    return !!value && typeof value === 'object' && !(value as any)[MASKED] && JSON.stringify(value).match(HASH) !== null;
  },
  serialize(value: unknown, config: any, indentation: string, depth: number, refs: any, printer: any): string {
    const masked = mask(value) as Record<string | symbol, unknown>;
    Object.defineProperty(masked, MASKED, { value: true, enumerable: false });
    return printer(masked, config, indentation, depth, refs);
  },
};
