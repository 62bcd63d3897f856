import { Names } from 'aws-cdk-lib';
import * as rolesanywhere from 'aws-cdk-lib/aws-rolesanywhere';
import { IConstruct } from 'constructs';
import { BundleCertificate, ParsedCrl } from './pki';
import { ErrorSite } from '../../core/errors';
import { validateLength, validatePattern } from '../../core/validation';

/** Names of trust anchors, profiles and CRLs: `^[ a-zA-Z0-9-_]*$`, 1-255 characters. */
const ROLES_ANYWHERE_NAME = /^[ a-zA-Z0-9\-_]*$/;

/** Validates the name of a Roles Anywhere resource. */
export function validateRolesAnywhereName(site: ErrorSite, prop: string, name: string): void {
  validateLength(site, prop, name, 1, 255);
  validatePattern(site, prop, name, ROLES_ANYWHERE_NAME, 'letters, digits, spaces, - and _');
}

/** The name a Roles Anywhere resource gets when none is given: unique, derived from its path. */
export function generatedName(scope: IConstruct): string {
  return Names.uniqueResourceName(scope, { maxLength: 255 });
}

/** What a trust anchor source contributes to the trust anchor. */
export interface BoundSource {
  readonly source: rolesanywhere.CfnTrustAnchor.SourceProperty;
  /** The CA certificates, when the bundle is known at synthesis. */
  readonly certificates?: BundleCertificate[];
  /** For an AWS Private CA: its ARN, and its account and region where synthesis knows them. */
  readonly pca?: { readonly arn: string; readonly account?: string; readonly region?: string };
}

/** The IAM Roles Anywhere service principal. */
export const ROLES_ANYWHERE_SERVICE = 'rolesanywhere.amazonaws.com';

/** A CRL as the construct holds it: PEM text, and the parsed list when known at synthesis. */
export interface BoundCrl {
  readonly pem: string;
  readonly parsed?: ParsedCrl;
}
