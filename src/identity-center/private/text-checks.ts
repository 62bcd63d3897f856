import { Token } from 'aws-cdk-lib';
import { ErrorSite, fail } from '../../core/errors';

/**
 * The character sets the IAM Identity Center API documents for a permission set's
 * `Description` and `RelayState` ("CreatePermissionSet" and "PermissionSet" in the IAM
 * Identity Center API reference,
 * https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_CreatePermissionSet.html):
 *
 * - Description, 1-700 characters of `[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]`: tab, line
 *   feed, carriage return, printable ASCII and Latin-1 (no other Unicode, no other control
 *   characters);
 * - RelayState, 1-240 characters of ``[a-zA-Z0-9&$@#\\/%?=~\-_'"|!:,.;*+\[\] (){}]``: a URL
 *   path and query of ASCII (no `<`, `>`, `^`, backquote, control characters or non-ASCII).
 */
const DESCRIPTION_CHARACTER = /[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]/u;
const RELAY_STATE_CHARACTER = /[a-zA-Z0-9&$@#\\/%?=~\-_'"|!:,.;*+[\] (){}]/;

/** The first character of `value` outside `allowed`, and its position, or undefined. */
function firstRefused(value: string, allowed: RegExp): { character: string; index: number } | undefined {
  let index = 0;
  for (const character of value) {
    if (!allowed.test(character)) return { character, index };
    index += character.length;
  }
  return undefined;
}

function describe(character: string): string {
  const code = character.codePointAt(0)!;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return code < 0x20 || (code >= 0x7f && code <= 0xa0) ? hex : `'${character}' (${hex})`;
}

/** Validates a permission set's description: the character set Identity Center accepts (tokens skipped). */
export function validatePermissionSetDescription(site: ErrorSite, value: string): void {
  if (Token.isUnresolved(value)) return;
  const refused = firstRefused(value, DESCRIPTION_CHARACTER);
  if (refused) {
    fail(site, 'description', `${describe(refused.character)} at position ${refused.index} is not a character Identity Center accepts in a description `
      + '(tab, line breaks, printable ASCII and Latin-1, U+00A1-U+00FF, only)',
    'write the description without it, e.g. with plain ASCII quotes and dashes');
  }
}

/** Validates a permission set's relay state: the character set Identity Center accepts (tokens skipped). */
export function validateRelayState(site: ErrorSite, value: string): void {
  if (Token.isUnresolved(value)) return;
  const refused = firstRefused(value, RELAY_STATE_CHARACTER);
  if (refused) {
    fail(site, 'relayState', `${describe(refused.character)} at position ${refused.index} is not a character Identity Center accepts in a relay state `
      + '(letters, digits, spaces and &$@#\\/%?=~-_\'"|!:,.;*+[](){} only)',
    'percent-encode it in the URL (e.g. \'%3C\' for \'<\'), or give the console URL path without it');
  }
}
