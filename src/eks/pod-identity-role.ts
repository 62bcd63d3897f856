import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ServiceAccount } from './kubernetes';
import { PodIdentityAssociation, PodIdentityRoleAssociateOptions } from './pod-identity-association';
import { validateServiceAccounts } from './private/kubernetes-validation';
import { recordPodIdentityTrust } from './private/pod-identity-trust';
import { ErrorSite, fail } from '../core/errors';
import { PatternRole, patternRoleSite } from '../core/pattern-role';
import { PatternRoleProps } from '../core/pattern-role-props.generated';
import { accountOfArn, hasLiteralWildcard } from '../core/token-text';
import { TrustCondition } from '../core/trust-condition';
import { ScopeCheck } from '../core/trust-scope';
import { quote, validateAccountId, validateArn, validateNotEmpty } from '../core/validation';

/** Properties for a {@link PodIdentityRole}. */
export interface PodIdentityRoleProps extends PatternRoleProps {
  /**
   * The account whose EKS Pod Identity may assume the role (`aws:SourceAccount`).
   *
   * @default - the role's account
   */
  readonly sourceAccount?: string;

  /**
   * Clusters whose pods may assume the role (`aws:RequestTag/eks-cluster-arn`), exact
   * ARNs. Needs session tags (the association default).
   *
   * EKS sets `aws:SourceAccount` to the cluster's account, so a cluster of another account
   * than `sourceAccount` could never match and is refused (when both accounts are known at
   * synthesis).
   *
   * @default - any cluster of the source account
   */
  readonly clusterArns?: string[];

  /**
   * Service accounts whose pods may assume the role (`aws:RequestTag/kubernetes-namespace`
   * and `aws:RequestTag/kubernetes-service-account`, one statement per pair so that pairs
   * cannot mix). Needs session tags (the association default).
   *
   * @default - any service account an association names
   */
  readonly serviceAccounts?: ServiceAccount[];
}

/**
 * A role that pods get through EKS Pod Identity: trusted by `pods.eks.amazonaws.com`
 * (`sts:AssumeRole` + `sts:TagSession`) for the source account, optionally scoped to
 * clusters and service accounts by the session tags EKS sets. Give it to pods with
 * {@link PodIdentityRole.associate}.
 *
 * @example
 * const role = new PodIdentityRole(this, 'Reader', {
 *   serviceAccounts: [{ serviceAccountNamespace: 'orders', serviceAccountName: 'reader' }],
 * });
 * role.associate('ReaderAssociation', { clusterName: 'prod', serviceAccountNamespace: 'orders', serviceAccountName: 'reader' });
 */
export class PodIdentityRole extends PatternRole {
  constructor(scope: Construct, id: string, props: PodIdentityRoleProps = {}) {
    const site = patternRoleSite('PodIdentityRole', scope, id, props);
    if (props.sourceAccount !== undefined) validateAccountId(site, 'sourceAccount', props.sourceAccount);
    const source = props.sourceAccount ?? Stack.of(scope).account;
    if (props.clusterArns !== undefined) {
      validateNotEmpty(site, 'clusterArns', props.clusterArns, 'give at least one cluster ARN, or leave clusterArns out');
      props.clusterArns.forEach(a => validateClusterArn(site, a, source, props.sourceAccount !== undefined));
    }
    if (props.serviceAccounts !== undefined) {
      validateNotEmpty(site, 'serviceAccounts', props.serviceAccounts, 'give at least one service account, or leave serviceAccounts out');
      validateServiceAccounts(site, 'serviceAccounts', props.serviceAccounts);
    }
    super(scope, id, 'PodIdentityRole', props);

    recordPodIdentityTrust(this, {
      clusterArns: props.clusterArns ? [...props.clusterArns] : undefined,
      serviceAccounts: props.serviceAccounts ? props.serviceAccounts.map(sa => ({ ...sa })) : undefined,
      sourceAccount: source,
    });
    const base = [TrustCondition.stringEquals('aws:SourceAccount', [source])];
    if (props.clusterArns) base.push(TrustCondition.stringMatches('aws:RequestTag/eks-cluster-arn', props.clusterArns));
    const principal = new iam.ServicePrincipal('pods.eks.amazonaws.com');
    const actions = ['sts:AssumeRole', 'sts:TagSession'];
    const pairs = props.serviceAccounts ?? [];
    if (pairs.length === 0) {
      // Without service accounts the associations decide which pods get the role: what the props say.
      this.trust._acceptOwnerWide(ScopeCheck.POD_WORKLOAD);
      this.trust.addStatement({ principals: [principal], actions, conditions: base });
    }
    for (const sa of pairs) {
      this.trust.addStatement({
        principals: [principal],
        actions,
        conditions: [
          ...base,
          TrustCondition.stringMatches('aws:RequestTag/kubernetes-namespace', [sa.serviceAccountNamespace]),
          TrustCondition.stringMatches('aws:RequestTag/kubernetes-service-account', [sa.serviceAccountName]),
        ],
      });
    }
  }

  /** Associates the role with a service account of a cluster. */
  public associate(id: string, options: PodIdentityRoleAssociateOptions): PodIdentityAssociation {
    return new PodIdentityAssociation(this, id, { ...options, role: this });
  }
}

/**
 * A cluster ARN of the `eks-cluster-arn` session tag: an exact ARN of a cluster in the
 * source account. Tokens are skipped, but the text around them may hold no `*` or `?`, and
 * an account written out in it is compared.
 */
function validateClusterArn(site: ErrorSite, arn: string, sourceAccount: string, sourceGiven: boolean): void {
  validateArn(site, 'clusterArns', arn, {
    service: 'eks', resource: /^cluster\/[0-9A-Za-z][A-Za-z0-9_-]*$/, example: 'arn:aws:eks:eu-west-1:111122223333:cluster/prod',
  });
  if (Token.isUnresolved(arn) && hasLiteralWildcard(arn)) {
    fail(site, 'clusterArns', `${quote(arn)} has '*' or '?' around a value chosen at deploy time, but the eks-cluster-arn tag is compared exactly`,
      'give the exact ARN of each cluster');
  }
  const clusterAccount = accountOfArn(arn);
  if (clusterAccount !== undefined && !Token.isUnresolved(sourceAccount) && clusterAccount !== sourceAccount) {
    fail(site, 'clusterArns',
      `the cluster ${quote(arn)} is in account ${clusterAccount}, but the trust requires aws:SourceAccount ${sourceAccount} `
      + `(${sourceGiven ? 'sourceAccount' : 'the role\'s account'}), and EKS sets aws:SourceAccount to the cluster's account, so the trust could never match`,
      `list clusters of account ${sourceAccount}; for a cluster of account ${clusterAccount}, associate a role of that account and give this one as the association's targetRole`);
  }
}
