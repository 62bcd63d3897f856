import { Token } from 'aws-cdk-lib';
import { ErrorSite, fail } from '../../core/errors';
import { REGION_PATTERN } from '../../core/regions';
import { quote } from '../../core/validation';

/** The Cognito identity service, the `Federated` principal of identity pool roles. */
export const COGNITO_IDENTITY = 'cognito-identity.amazonaws.com';

/** The policy variable that IAM replaces with the caller's Cognito identity id. */
export const COGNITO_IDENTITY_ID_VARIABLE = '${cognito-identity.amazonaws.com:sub}';

const IDENTITY_POOL_ID = new RegExp(`^${REGION_PATTERN}:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`);

/** An identity pool id, `<region>:<GUID>`. */
export function validateIdentityPoolId(site: ErrorSite, value: string): void {
  if (Token.isUnresolved(value)) return;
  if (!IDENTITY_POOL_ID.test(value)) {
    fail(site, 'identityPool', `${quote(value)} is not a Cognito identity pool id`,
      'pass the pool id in the form <region>:<GUID>, e.g. \'us-east-1:0123abcd-0123-4567-89ab-0123456789ab\'');
  }
}

export function validatePrefix(site: ErrorSite, prefix: string): void {
  if (Token.isUnresolved(prefix)) return;
  if (prefix === '' || prefix.startsWith('/') || prefix.endsWith('/') || /[*?$]/.test(prefix) || prefix.includes('//') || prefix.length > 512) {
    fail(site, 'prefix', `${quote(prefix)} is not a folder name for the per-identity folders`,
      'give a key prefix such as \'private\' or \'users/uploads\', without leading or trailing \'/\', wildcards or policy variables');
  }
}


/** DynamoDB attribute names: 1-255 characters, exact (no wildcards), listed once. */
export function validateAttributeNames(site: ErrorSite, names: string[]): void {
  if (names.length === 0) {
    fail(site, 'attributes', 'the list is empty', 'list the attributes the identities may read and write, the key attributes included, or leave attributes out');
  }
  for (const name of names) {
    if (Token.isUnresolved(name)) continue;
    if (name.length === 0 || name.length > 255 || /[*?]/.test(name)) {
      fail(site, 'attributes', `${quote(name)} is not an attribute name`, 'give each attribute name exactly (1-255 characters, no wildcards)');
    }
  }
}

/** A tag key: 1-128 characters of letters, digits, spaces and `_ . : / = + - @`. */
export function validateTagKey(site: ErrorSite, prop: string, key: string): void {
  if (Token.isUnresolved(key)) return;
  if (!/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u.test(key) || key.toLowerCase().startsWith('aws:')) {
    fail(site, prop, `${quote(key)} is not a tag key`, 'use 1-128 letters, digits, spaces and _ . : / = + - @, not starting with aws:');
  }
}
