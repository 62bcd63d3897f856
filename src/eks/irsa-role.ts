import { Stack, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ServiceAccount } from './kubernetes';
import { validateNamespace, validateServiceAccounts } from './private/kubernetes-validation';
import { ErrorSite, fail } from '../core/errors';
import { PatternRole, patternRoleSite } from '../core/pattern-role';
import { PatternRoleProps } from '../core/pattern-role-props.generated';
import { ScopeCheck } from '../core/trust-scope';
import { quote, validateArn, validateNoDuplicates } from '../core/validation';
import { WARNING } from '../core/warnings';
import { addWebIdentityStatement, issuerOf, oidcProviderArn, validateProviderAccount } from '../core/web-identity';

/** An EKS issuer: `https://oidc.eks.<region>.amazonaws.com[.cn]/id/<32 upper-case letters and digits>`. */
const EKS_ISSUER = /^https:\/\/oidc\.eks\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/id\/[0-9A-Z]{32}$/;

/**
 * The OIDC issuer of an EKS cluster, as an IRSA role trusts it: its issuer (the prefix of
 * the `sub` / `aud` condition keys) and its IAM OIDC provider (the `Federated` principal).
 */
export abstract class IrsaCluster {
  /**
   * A cluster of `aws-cdk-lib/aws-eks`, defined in the app or imported with its
   * `openIdConnectProvider` (`eks.Cluster.fromClusterAttributes`).
   *
   * For an `aws-cdk-lib/aws-eks-v2` cluster use {@link IrsaCluster.fromClusterV2}.
   */
  public static fromCluster(cluster: eks.ICluster): IrsaCluster {
    return new ClusterIrsaCluster(cluster, 'fromCluster', 'eks.Cluster.fromClusterAttributes');
  }

  /**
   * A cluster of `aws-cdk-lib/aws-eks-v2`, defined in the app or imported with its
   * `openIdConnectProvider` (`eks.Cluster.fromClusterAttributes` of `aws-eks-v2`).
   *
   * For an `aws-cdk-lib/aws-eks` cluster use {@link IrsaCluster.fromCluster}.
   */
  public static fromClusterV2(cluster: eksv2.ICluster): IrsaCluster {
    return new ClusterIrsaCluster(cluster, 'fromClusterV2', 'eks.Cluster.fromClusterAttributes (aws-eks-v2)');
  }

  /**
   * The IAM OIDC provider of a cluster, e.g. `cluster.openIdConnectProvider`. The issuer of
   * a provider defined in the app is only known at deploy time, so the condition keys go
   * through a `CfnJson` custom resource.
   */
  public static fromOpenIdConnectProvider(provider: iam.IOpenIdConnectProvider): IrsaCluster {
    return new ResolvedIrsaCluster(provider.openIdConnectProviderIssuer, provider.openIdConnectProviderArn);
  }

  /**
   * A cluster known by its issuer URL (`aws eks describe-cluster --query cluster.identity.oidc.issuer`),
   * optionally with the ARN of its IAM OIDC provider. The provider must be in the role's
   * account (STS accepts no other): for a cluster of another account, create an IAM OIDC
   * provider for the cluster's issuer in the role's account first.
   *
   * @param issuerUrl `https://oidc.eks.<region>.amazonaws.com/id/<id>`
   * @param providerArn the IAM OIDC provider for that issuer in the role's account; default: derived from the issuer
   */
  public static fromIssuerUrl(issuerUrl: string, providerArn?: string): IrsaCluster {
    return new ResolvedIrsaCluster(undefined, providerArn, issuerUrl);
  }

  protected constructor() {}

  /** @internal */
  public abstract _bind(scope: Construct, site: ErrorSite): { issuer: string; providerArn: string };
}

/** The methods that give an IrsaCluster, for error messages. */
const IRSA_CLUSTER_METHODS = 'IrsaCluster.fromCluster(cluster) (aws-eks), IrsaCluster.fromClusterV2(cluster) (aws-eks-v2), '
  + 'IrsaCluster.fromOpenIdConnectProvider(provider) or IrsaCluster.fromIssuerUrl(url)';

/** A cluster of aws-eks or aws-eks-v2: its OIDC provider is read when the role binds it. */
class ClusterIrsaCluster extends IrsaCluster {
  constructor(
    private readonly cluster: { readonly openIdConnectProvider: iam.IOpenIdConnectProvider; readonly node: { readonly path: string } },
    private readonly method: string,
    private readonly importMethod: string,
  ) {
    super();
  }

  /** @internal */
  public _bind(scope: Construct, site: ErrorSite): { issuer: string; providerArn: string } {
    let provider: iam.IOpenIdConnectProvider;
    try {
      provider = this.cluster.openIdConnectProvider;
    } catch (e) {
      // An imported cluster without its provider throws aws-cdk-lib's error: say which prop
      // and what to do. Any other error goes on as it is.
      if (!/openIdConnectProvider/i.test((e as Error).message ?? '')) throw e;
      return fail(site, 'clusters', `the cluster '${this.cluster.node.path}' given to IrsaCluster.${this.method} has no OpenID Connect provider `
        + `(${(e as Error).message})`, `import it with openIdConnectProvider (${this.importMethod}), `
        + 'or give its issuer with IrsaCluster.fromIssuerUrl(url)');
    }
    return new ResolvedIrsaCluster(provider.openIdConnectProviderIssuer, provider.openIdConnectProviderArn)._bind(scope, site);
  }
}

class ResolvedIrsaCluster extends IrsaCluster {
  constructor(private readonly issuer?: string, private readonly providerArn?: string, private readonly issuerUrl?: string) {
    super();
  }

  /** @internal */
  public _bind(scope: Construct, site: ErrorSite): { issuer: string; providerArn: string } {
    if (this.issuer !== undefined) return { issuer: this.issuer, providerArn: this.providerArn! };
    const url = this.issuerUrl!;
    if (!Token.isUnresolved(url) && !EKS_ISSUER.test(url)) {
      fail(site, 'clusters', `${quote(url)} is not an EKS OIDC issuer URL`,
        'give the cluster\'s issuer, e.g. \'https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE\' (aws eks describe-cluster --query cluster.identity.oidc.issuer)');
    }
    const issuer = issuerOf(site, 'clusters', url);
    if (this.providerArn !== undefined) {
      const parts = validateArn(site, 'clusters', this.providerArn, {
        service: 'iam', resource: /^oidc-provider\/.+/, example: 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE',
      });
      if (parts && !Token.isUnresolved(issuer) && parts.resource !== `oidc-provider/${issuer}`) {
        fail(site, 'clusters', `${quote(this.providerArn)} is not the provider of ${quote(url)}`, `give the provider ARN ending in oidc-provider/${issuer}`);
      }
    }
    return { issuer, providerArn: this.providerArn ?? oidcProviderArn(scope, issuer) };
  }
}

/** Properties for an {@link IrsaRole}. */
export interface IrsaRoleProps extends PatternRoleProps {
  /** The clusters whose service accounts may assume the role. At least one. */
  readonly clusters: IrsaCluster[];

  /**
   * The exact service accounts (`system:serviceaccount:<namespace>:<name>`) that may
   * assume the role. Give these, `allServiceAccountsInNamespaces`, or both.
   *
   * @default - none
   */
  readonly serviceAccounts?: ServiceAccount[];

  /**
   * Namespaces all of whose service accounts may assume the role
   * (`StringLike system:serviceaccount:<namespace>:*`). Broad: every workload anyone
   * deploys into the namespace gets the role; leaves a warning. A namespace may be a
   * token (e.g. a parameter): the subject stays a `StringLike` pattern around it.
   *
   * @default - none
   */
  readonly allServiceAccountsInNamespaces?: string[];
}

/**
 * A role that pods assume through IAM Roles for Service Accounts (IRSA): trusted by the
 * clusters' OIDC providers for exact `namespace:serviceaccount` pairs, with the audience
 * `sts.amazonaws.com`.
 *
 * Annotate the service account with `eks.amazonaws.com/role-arn: <role ARN>`.
 * Prefer {@link PodIdentityRole} for new workloads.
 *
 * @example
 * new IrsaRole(this, 'Reader', {
 *   clusters: [IrsaCluster.fromCluster(cluster)],
 *   serviceAccounts: [{ serviceAccountNamespace: 'orders', serviceAccountName: 'reader' }],
 * });
 */
export class IrsaRole extends PatternRole {
  constructor(scope: Construct, id: string, props: IrsaRoleProps) {
    const site = patternRoleSite('IrsaRole', scope, id, props);
    if (!props.clusters || props.clusters.length === 0) {
      fail(site, 'clusters', 'no cluster is given', `pass ${IRSA_CLUSTER_METHODS}`);
    }
    const accounts = props.serviceAccounts ?? [];
    const namespaces = props.allServiceAccountsInNamespaces ?? [];
    if (accounts.length + namespaces.length === 0) {
      fail(site, 'serviceAccounts', 'no service account is given, so no pod could assume the role',
        'list the exact { serviceAccountNamespace, serviceAccountName } pairs');
    }
    validateServiceAccounts(site, 'serviceAccounts', accounts);
    namespaces.forEach(n => validateNamespace(site, 'allServiceAccountsInNamespaces', n));
    validateNoDuplicates(site, 'allServiceAccountsInNamespaces', namespaces);
    super(scope, id, 'IrsaRole', props);

    const subjects = [
      ...accounts.map(a => `system:serviceaccount:${a.serviceAccountNamespace}:${a.serviceAccountName}`),
      ...namespaces.map(n => `system:serviceaccount:${n}:*`),
    ];
    const providers = new Set<string>();
    for (const cluster of props.clusters) {
      const { issuer, providerArn } = cluster._bind(this, site);
      validateProviderAccount(site, 'clusters', this, providerArn);
      const key = Stack.of(this).resolve(providerArn);
      const text = JSON.stringify(key);
      if (providers.has(text)) {
        fail(site, 'clusters', 'the same cluster is listed more than once', 'list each cluster once');
      }
      providers.add(text);
      addWebIdentityStatement(this.trust, { providerArn, issuer, audiences: ['sts.amazonaws.com'], subjects });
    }
    if (namespaces.length > 0) {
      const names = namespaces.map(n => (Token.isUnresolved(n) ? '(one chosen at deploy time)' : n));
      this._warnOwnerWide(ScopeCheck.SUBJECT, WARNING.allServiceAccounts,
        `Every service account of the namespaces ${names.join(', ')} can assume this role, including ones created later.`);
    }
  }
}
