import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { hasWildcard } from '../../core/comparison';
import { ErrorSite, fail } from '../../core/errors';
import { validateSubjectIsScoped } from '../../core/subjects';
import { Breadth, subjectBreadth } from '../../core/trust-scope';
import { quote } from '../../core/validation';

/**
 * The issuer (host and path) of a provider when it is known at synthesis: its own issuer,
 * or the URL of the `AWS::IAM::OIDCProvider` it creates in this app.
 */
export function issuerOfProvider(provider: iam.IOidcProvider): string | undefined {
  if (!Token.isUnresolved(provider.oidcProviderIssuer)) return provider.oidcProviderIssuer;
  const nodes: IConstruct[] = provider.node.findAll();
  for (const node of nodes) {
    const url = node instanceof iam.CfnOIDCProvider ? node.url : undefined;
    if (url !== undefined && !Token.isUnresolved(url) && url.startsWith('https://')) {
      return url.slice('https://'.length).replace(/\/$/, '');
    }
  }
  return undefined;
}

/**
 * Validates one `sub` value for the issuer (host and path, undefined when only known at
 * deployment) and returns a description of the workloads it reaches when it is owner-wide
 * (accepted with `allowOwnerWide`), or undefined when it is narrow.
 *
 * What narrows is decided by the one definition of a narrow trust (`core/trust-scope/`):
 * a known issuer's tenant claim must come first with the tenant written out, a pattern that
 * reaches every workload of the tenant needs `allowOwnerWide`, and for every issuer a
 * subject that is empty, `*` or starts with a wildcard is refused.
 */
export function validateIssuerSubject(
  site: ErrorSite, prop: string, issuer: string | undefined, subject: string, allowOwnerWide: boolean,
): string | undefined {
  if (Token.isUnresolved(subject)) return undefined;
  validateSubjectIsScoped(site, prop, subject, 'the issuer\'s subject format in this library\'s OIDC recipes');
  const known = issuer !== undefined && !Token.isUnresolved(issuer) ? issuer : undefined;
  const scope = subjectBreadth(known, subject, hasWildcard(subject));
  if (scope.breadth === Breadth.BROAD || scope.breadth === Breadth.INVALID) {
    fail(site, prop, `the subject ${quote(subject)} does not pin the tenant: ${scope.why}`, scope.fix ?? 'name the tenant exactly');
  }
  if (scope.breadth !== Breadth.OWNER_WIDE) return undefined;
  if (!allowOwnerWide) {
    fail(site, prop, `the subject ${quote(subject)} matches ${scope.why}`, `${scope.fix ?? 'name the workload exactly'}; or set allowOwnerWideSubjects: true to opt in`);
  }
  return scope.why;
}
