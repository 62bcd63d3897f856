import { StringConcat, Token, Tokenization } from 'aws-cdk-lib';
import { hasWildcard } from './comparison';

/** Reading the parts of a value that are known at synthesis, around its tokens (internal). */

/** Stands for a part only known at deploy time in {@link literalText}; IAM policies cannot hold it. */
export const DEPLOY_TIME = '\u0000';

/**
 * The text of `value` with each unresolved token replaced by `placeholder` (by default
 * {@link DEPLOY_TIME}): what the user wrote around the tokens. The trust builder reads `*`
 * and `?` there as wildcards (`project_path:${group}/*`), so they are checked even where
 * the token itself cannot be.
 */
export function literalText(value: string, placeholder: string = DEPLOY_TIME): string {
  if (!Token.isUnresolved(value)) return value;
  const text = Tokenization.reverseString(value).mapTokens({ mapToken: () => placeholder }).join(new StringConcat());
  return typeof text === 'string' ? text : placeholder;
}

/** Whether the literal text of `value` (tokens left out) has an IAM wildcard (`*` or `?`). */
export function hasLiteralWildcard(value: string): boolean {
  // Token markers hold neither `*` nor `?`: without them in the text, there is nothing to read.
  return hasWildcard(value) && hasWildcard(literalText(value, ''));
}

/**
 * The 12-digit account of an ARN when it is known at synthesis, even if other fields are
 * tokens (`arn:${AWS::Partition}:eks:eu-west-1:111122223333:cluster/prod`); undefined when
 * the account field is a token or the value is not an ARN with the fields in place.
 */
export function accountOfArn(value: string): string | undefined {
  // Tokens become a marker without ':', so the fields stay in place: a token in the
  // partition or region field stands for a partition or region, which have no ':'.
  const fields = literalText(value).split(':');
  if (fields.length < 6 || fields[0] !== 'arn') return undefined;
  if (fields[2].includes(DEPLOY_TIME)) return undefined;
  return /^\d{12}$/.test(fields[4]) ? fields[4] : undefined;
}
