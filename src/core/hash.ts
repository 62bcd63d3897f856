import { createHash } from 'crypto';

/**
 * Stable short hashes for logical ids and placement. Part of the upgrade contract: the
 * values must never change, or every id derived from them moves (a test pins them).
 */

/** The first `length` hex digits (upper case) of the SHA-256 of `value`. */
export function stableHash(value: string, length: number = 16): string {
  return createHash('sha256').update(value).digest('hex').slice(0, length).toUpperCase();
}

/** The SHA-256 of `value` as an unsigned 32-bit number (its first 4 bytes, big-endian), for placement. */
export function hashNumber(value: string): number {
  return createHash('sha256').update(value).digest().readUInt32BE(0);
}

/**
 * {@link stableHash} and {@link hashNumber} of one value from a single SHA-256, for callers
 * that need both (an assignment's logical id and its shard).
 */
export function stableHashAndNumber(value: string, length: number = 16): [string, number] {
  const digest = createHash('sha256').update(value).digest();
  return [digest.toString('hex').slice(0, length).toUpperCase(), digest.readUInt32BE(0)];
}
