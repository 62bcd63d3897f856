import { CfnResource } from 'aws-cdk-lib';

/**
 * Dependency chains that bound how many resources of one stack CloudFormation creates at
 * once: each resource goes into one of `width` chains and depends (`DependsOn`) on the one
 * before it in its chain, in the order of a stable key. CloudFormation only starts a
 * resource when its dependency is done, so at most `width` are in progress.
 *
 * Placing a resource never changes its logical id or stack: growing the set inserts the
 * new resource between two others of its chain, which only changes the `DependsOn` of the
 * one after it (an update of the template, not of the resource).
 */
export class DependencyChains {
  private readonly chains: Array<Array<{ readonly key: string; readonly resource: CfnResource }>>;

  /** @param width the number of chains, the most resources created at once */
  constructor(public readonly width: number) {
    this.chains = Array.from({ length: width }, () => []);
  }

  /**
   * Inserts `resource` into chain `chain` (taken modulo the width) at the place of `key`.
   *
   * @param chain the chain, e.g. from a hash of the resource's identity
   * @param key the order within the chain, e.g. the logical id
   */
  public insert(chain: number, key: string, resource: CfnResource): void {
    const list = this.chains[chain % this.width];
    // Appending (keys in order) needs no search.
    const last = list[list.length - 1];
    let lo = last === undefined || last.key < key ? list.length : 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (list[mid].key < key) lo = mid + 1;
      else hi = mid;
    }
    const before = list[lo - 1];
    const after = list[lo];
    if (before && after) after.resource.removeResourceDependency(before.resource);
    if (before) resource.addResourceDependency(before.resource);
    if (after) after.resource.addResourceDependency(resource);
    list.splice(lo, 0, { key, resource });
  }
}

/** The default number of assignments CloudFormation creates at once. */
export const DEFAULT_MAX_CONCURRENT_ASSIGNMENTS = 10;

/** The chain of an assignment: bytes 5-8 of its hash (the shard uses bytes 1-4). */
export function chainOfHash(hash: string): number {
  return parseInt(hash.slice(8, 16), 16);
}
