/**
 * The structure of CloudFormation intrinsics, read in one place: `Fn::Join` (with its
 * delimiter, nested joins, a single part that is not a list) and `Fn::Select` of an
 * `Fn::Split`. What a leaf reads as (a marker, a label, a finding id) is the caller's.
 *
 * Internal: not exported from the package.
 */

/**
 * The text of an `Fn::Join`, each part rendered by `part`; `undefined` when `value` is not
 * an `Fn::Join` with its arguments in a list. A single part that is not a list is one part.
 */
export function joinOf(value: unknown, part: (node: unknown) => string): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const join = (value as any)['Fn::Join'];
  if (!Array.isArray(join)) return undefined;
  const [delimiter, parts] = join;
  return (Array.isArray(parts) ? parts : [parts]).map(p => part(p)).join(delimiter);
}

/**
 * An intrinsic-bearing value joined into a string: strings as they are, numbers and
 * booleans as their text, `Fn::Join` recursively (see {@link joinOf}); every other node
 * (references, other intrinsics, objects, lists, `undefined`) is rendered by `leaf`.
 */
export function joinIntrinsic(value: unknown, leaf: (node: unknown) => string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return joinOf(value, p => joinIntrinsic(p, leaf)) ?? leaf(value);
}

/** The delimiter and source of an `Fn::Split` (`{ "Fn::Split": [delimiter, source] }`). */
export interface SplitOf {
  readonly delimiter: unknown;
  readonly source: unknown;
}

/** The arguments of `value` if it is an `Fn::Split` with its arguments in a list. */
export function splitOf(value: unknown): SplitOf | undefined {
  const split = (value as any)?.['Fn::Split'];
  return Array.isArray(split) ? { delimiter: split[0], source: split[1] } : undefined;
}

/** The index, delimiter and source of `Fn::Select [index, Fn::Split [delimiter, source]]`. */
export function selectOfSplit(value: unknown): (SplitOf & { readonly index: unknown }) | undefined {
  const select = (value as any)?.['Fn::Select'];
  const split = Array.isArray(select) ? splitOf(select[1]) : undefined;
  return split && { index: select[0], ...split };
}
