import { Names, Stack, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import { aws_eks as eksRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { fail, siteOf } from '../core/errors';
import { stableHash } from '../core/hash';
import { quote } from '../core/validation';

/** Options for {@link PodIdentityAgent.of}. */
export interface PodIdentityAgentOptions {
  /**
   * The add-on version, e.g. `v1.3.4-eksbuild.1`
   * (`aws eks describe-addon-versions --addon-name eks-pod-identity-agent`).
   *
   * @default - the default version for the cluster's Kubernetes version
   */
  readonly addonVersion?: string;

  /**
   * Keep the agent's Kubernetes resources on the cluster when the add-on is deleted from
   * the stack, so that running pods keep their credentials.
   *
   * @default false
   */
  readonly preserveOnDelete?: boolean;
}

/**
 * The `eks-pod-identity-agent` add-on of a cluster: the DaemonSet that hands pods the
 * credentials of their Pod Identity association. One per cluster: {@link PodIdentityAgent.of}
 * returns the existing agent when the cluster already has one in this app, and uses the
 * `eksPodIdentityAgent` add-on of an `aws-eks` / `aws-eks-v2` cluster defined in the app.
 * Not available on Fargate.
 *
 * @example
 * PodIdentityAgent.of(eks.CfnCluster.fromClusterName(this, 'Prod', 'prod'));
 */
export class PodIdentityAgent extends Construct {
  /**
   * The agent of a cluster (`aws-cdk-lib/aws-eks` or `aws-eks-v2` cluster, or one
   * imported with `eks.CfnCluster.fromClusterName`), created in the cluster's stack on the
   * first call. Later calls for the same cluster (by construct or by name) return it.
   */
  public static of(cluster: eksRefs.IClusterRef, options: PodIdentityAgentOptions = {}): PodIdentityAgent {
    const stack = Stack.of(cluster);
    const name = cluster.clusterRef.clusterName;
    const id = `PodIdentityAgent${Token.isUnresolved(name) ? Names.nodeUniqueId(cluster.node) : idOf(name)}`;
    const site = siteOf('PodIdentityAgent', stack, id);
    const anyCluster: object = cluster;
    if (anyCluster instanceof eks.FargateCluster || anyCluster instanceof eksv2.FargateCluster) {
      fail(site, 'cluster', `${cluster.node.path} is a Fargate cluster, and the EKS Pod Identity agent does not run on Fargate`,
        'use IrsaRole for pods on Fargate');
    }
    const existing = stack.node.tryFindChild(id);
    const ownAddon = cluster instanceof eks.Cluster || cluster instanceof eksv2.Cluster;
    if (ownAddon && (options.addonVersion !== undefined || options.preserveOnDelete !== undefined)) {
      fail(site, 'addonVersion', `${cluster.node.path} creates its own eks-pod-identity-agent add-on (cluster.eksPodIdentityAgent), which takes no options`,
        'leave the options out for a cluster of this app, or override them on cluster.eksPodIdentityAgent');
    }
    if (existing instanceof PodIdentityAgent) {
      if (existing.clusterName !== name) {
        fail(site, 'cluster', `the construct id ${id} already holds the agent of the cluster ${quote(existing.clusterName)}, not ${quote(name)}`,
          'call PodIdentityAgent.of() for one of the two clusters from another stack');
      }
      if (options.preserveOnDelete !== undefined && options.preserveOnDelete !== existing.preserveOnDelete) {
        fail(site, 'preserveOnDelete', `the cluster's agent already has preserveOnDelete ${existing.preserveOnDelete}, not ${options.preserveOnDelete}`,
          'give preserveOnDelete once, on the first PodIdentityAgent.of() call');
      }
      if (options.addonVersion !== undefined && options.addonVersion !== existing.addonVersion) {
        fail(site, 'addonVersion', `the cluster's agent already has version ${quote(existing.addonVersion ?? 'default')}, not ${quote(options.addonVersion)}`,
          'give the version once, on the first PodIdentityAgent.of() call');
      }
      return existing;
    }
    // aws-eks and aws-eks-v2 clusters have their own add-on: reuse it rather than deploy a second one.
    const l2 = ownAddon ? (cluster as eks.Cluster | eksv2.Cluster).eksPodIdentityAgent : undefined;
    return new PodIdentityAgent(stack, id, name, options, l2?.addonArn);
  }

  /**
   * The add-on ARN.
   *
   * @attribute
   */
  public readonly addonArn: string;

  /** The pinned add-on version, if any. */
  public readonly addonVersion?: string;

  /** The name of the cluster the agent runs on. */
  public readonly clusterName: string;

  /** Whether the agent's Kubernetes resources stay on the cluster when the add-on is deleted. */
  private readonly preserveOnDelete: boolean;

  private constructor(scope: Construct, id: string, clusterName: string, options: PodIdentityAgentOptions, existingAddonArn?: string) {
    super(scope, id);
    this.addonVersion = options.addonVersion;
    this.clusterName = clusterName;
    this.preserveOnDelete = options.preserveOnDelete ?? false;
    if (existingAddonArn !== undefined) {
      this.addonArn = existingAddonArn;
      return;
    }
    const addon = new eks.CfnAddon(this, 'Resource', {
      addonName: 'eks-pod-identity-agent',
      clusterName,
      addonVersion: options.addonVersion,
      preserveOnDelete: options.preserveOnDelete ?? false,
    });
    this.addonArn = addon.attrArn;
  }
}

/**
 * The construct id part of a cluster name: the name itself when it holds only letters and
 * digits (the id it always had), else the name without '-' and '_' and a hash of the full
 * name, so that 'my-cluster', 'my_cluster' and 'mycluster' get different agents.
 */
function idOf(clusterName: string): string {
  const plain = clusterName.replace(/[^A-Za-z0-9]/g, '');
  if (plain === clusterName) return plain;
  return `${plain}${stableHash(clusterName, 8)}`;
}
