import { Token } from 'aws-cdk-lib';
import { ErrorSite, fail } from '../../core/errors';
import { hashNumber, stableHash } from '../../core/hash';
import { quote } from '../../core/validation';

/** `arn:<partition>:sso:::instance/ssoins-<16>` (the CloudFormation pattern also allows `ins-`). */
const INSTANCE_ARN = /^arn:aws(?:-[a-z]+)*:sso:::instance\/(?:sso)?ins-[a-zA-Z0-9-.]{16}$/;
/** `d-<10 hex>`, or the UUID form of newer identity stores. */
const IDENTITY_STORE_ID = /^(?:d-[0-9a-f]{10}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** Validates an Identity Center instance ARN (skipping tokens). */
export function validateInstanceArn(site: ErrorSite, prop: string, value: string): void {
  if (Token.isUnresolved(value)) return;
  if (!INSTANCE_ARN.test(value)) {
    fail(site, prop, `${quote(value)} is not an IAM Identity Center instance ARN`,
      'pass the InstanceArn printed by `aws sso-admin list-instances`, e.g. \'arn:aws:sso:::instance/ssoins-1234567890abcdef\'');
  }
}

/** Validates an identity store id (skipping tokens). */
export function validateIdentityStoreId(site: ErrorSite, prop: string, value: string): void {
  if (Token.isUnresolved(value)) return;
  if (!IDENTITY_STORE_ID.test(value)) {
    fail(site, prop, `${quote(value)} is not an identity store id`,
      'pass the IdentityStoreId printed by `aws sso-admin list-instances`, e.g. \'d-1234567890\'');
  }
}

/** Most managed and customer managed policies a permission set may attach. */
export const MAX_PERMISSION_SET_POLICIES = 20;
/** The default IAM quota of managed policies per role in each target account. */
export const DEFAULT_ROLE_POLICY_QUOTA = 10;
/**
 * Largest inline policy of a permission set, in characters without whitespace: IAM's quota
 * of inline policy per role (Identity Center provisions each set as a role in every
 * target account). The Identity Center API itself accepts 32,768 characters.
 */
export const MAX_INLINE_POLICY_SIZE = 10240;

/** `PermissionSet` + the name's letters and digits + 8 hex digits of its hash. */
export function permissionSetLogicalId(name: string): string {
  return `PermissionSet${name.replace(/[^A-Za-z0-9]/g, '')}${stableHash(name, 8)}`;
}

/** CloudFormation's limit of resources per stack (each nested stack is a stack), from `core/quotas.ts`. */
export { CLOUDFORMATION_MAX_RESOURCES } from '../../core/quotas';
/** Default most assignments per stack, under the 500 resources of a stack. */
export const DEFAULT_MAX_ASSIGNMENTS_PER_STACK = 400;

/** The nested stack a key goes to: a hash of the key modulo the fixed shard count. */
export function shardOf(key: string, shardCount: number): number {
  return shardFromHash(hashNumber(key), shardCount);
}

/** {@link shardOf} from the key's `hashNumber`, when the caller has it already. */
export function shardFromHash(hash: number, shardCount: number): number {
  return hash % shardCount;
}


/**
 * The instance ARN (`arn:<partition>:sso:::instance/ssoins-<16>`) that an instance ARN or a
 * permission set ARN (`arn:<partition>:sso:::permissionSet/ssoins-<16>/ps-<16>`) names;
 * undefined for a token or another shape.
 */
export function instanceOfSsoArn(arn: string): string | undefined {
  if (Token.isUnresolved(arn)) return undefined;
  const m = /^arn:(aws(?:-[a-z]+)*):sso:::(?:instance|permissionSet)\/((?:sso)?ins-[a-zA-Z0-9-.]{16})(?:\/|$)/.exec(arn);
  return m ? `arn:${m[1]}:sso:::instance/${m[2]}` : undefined;
}
