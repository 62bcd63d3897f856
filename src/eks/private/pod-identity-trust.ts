import { IConstruct } from 'constructs';
import { ServiceAccount } from '../kubernetes';

/**
 * What the trust of a PodIdentityRole admits, which each association of the role must
 * stay within. The role records it here and an association reads it back, so that the
 * association does not import the role (which imports the association for `associate`).
 */
export interface PodIdentityTrust {
  /** The clusters the trust admits (`aws:RequestTag/eks-cluster-arn`), if scoped. */
  readonly clusterArns?: string[];
  /** The service accounts the trust admits (`aws:RequestTag/kubernetes-*`), if scoped. */
  readonly serviceAccounts?: ServiceAccount[];
  /** The account the trust admits (`aws:SourceAccount`); may be a token. */
  readonly sourceAccount: string;
}

/** What each PodIdentityRole's trust admits, by role. */
const trusts = new WeakMap<IConstruct, PodIdentityTrust>();

/** Records what the trust of a PodIdentityRole admits. */
export function recordPodIdentityTrust(role: IConstruct, trust: PodIdentityTrust): void {
  trusts.set(role, trust);
}

/** What the trust of `role` admits when it is a PodIdentityRole, else undefined. */
export function podIdentityTrustOf(role: IConstruct): PodIdentityTrust | undefined {
  return trusts.get(role);
}
