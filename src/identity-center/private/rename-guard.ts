import { Annotations, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ErrorSite, fail } from '../../core/errors';
import { quote } from '../../core/validation';
import { WARNING } from '../../core/warnings';

/**
 * The rename guard of a permission set: the construct id records the name the set was
 * created with, so a name that differs from it is a rename, which replaces the set and
 * every assignment of it.
 */

/** A name that differs from the construct id is a rename: refused unless allowed. */
export function checkRename(site: ErrorSite, id: string, name: string, allowReplacement: boolean): void {
  if (Token.isUnresolved(name) || name === id || allowReplacement) return;
  fail(site, 'permissionSetName', `${quote(name)} differs from the construct id ${quote(id)}, which records the name the set was created with; `
    + 'a new name replaces the permission set and re-creates every assignment, so users lose this access during the deployment',
  `keep the name ${quote(id)}; for a new permission set use a new construct id; to rename anyway set allowReplacement: true`);
}

/** A rename allowed with `allowReplacement` leaves a warning on the permission set. */
export function warnAllowedRename(set: IConstruct, id: string, name: string, allowReplacement: boolean): void {
  if (!allowReplacement || name === id) return;
  Annotations.of(set).addWarningV2(WARNING.permissionSetReplacement,
    `The name ${quote(name)} differs from the construct id ${quote(id)} (allowReplacement): deploying a new name replaces the permission set and re-creates every assignment, and users lose this access during the deployment.`);
}
