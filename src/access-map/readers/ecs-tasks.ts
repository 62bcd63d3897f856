/** ECS tasks (`ecs-tasks.amazonaws.com`): the account and regions of the tasks, from the confused-deputy conditions. */
import { NARROWING, WayRead, find, ownAccount, way } from './words';
import { ReadCondition as Condition } from '../../core/trust-reader';
import { AccessMapKind } from '../../core/trust-scope/kind';
import { AccessMapWayIn } from '../model';

/**
 * Reads an ECS tasks way in: `AWS service ecs-tasks.amazonaws.com in account 111122223333,
 * tasks of any cluster in eu-west-1`. ECS sends the task's ARN as `aws:SourceArn`; the ECS
 * guide names no cluster in it (one cluster is not supported), so a source ARN that ends
 * in `*` after the account reads as any cluster of those regions.
 */
export function ecsTasks({ ev, s, w, broad }: WayRead): AccessMapWayIn[] {
  const consumed = new Set<Condition>();
  const accounts = find(s, 'aws:SourceAccount', NARROWING);
  const arns = find(s, 'aws:SourceArn', NARROWING);
  const parts: string[] = [];
  if (accounts.length > 0) {
    accounts.forEach(c => consumed.add(c));
    parts.push(`in account ${accounts.flatMap(c => c.values).map(a => ownAccount(ev, a)).join(' or ')}`);
  }
  const regions: string[] = [];
  const clusters: string[] = [];
  let other = false;
  for (const value of arns.flatMap(c => c.values)) {
    const m = /^arn:[^:]+:ecs:([^:]+):[^:]+:(.*)$/.exec(value);
    if (m && m[2] === '*') regions.push(m[1]);
    else if (m && /^task\/([^/*?]+)\/\*$/.test(m[2])) clusters.push(`${/^task\/([^/]+)/.exec(m[2])![1]} (${m[1]})`);
    else other = true;
  }
  if (arns.length > 0 && !other) {
    arns.forEach(c => consumed.add(c));
    const where = [
      ...(regions.length > 0 ? [`tasks of any cluster in ${regions.join(' or ')}`] : []),
      ...(clusters.length > 0 ? [`tasks of cluster ${clusters.join(' or ')}`] : []),
    ];
    parts.push(where.join(', '));
  }
  const who = [`AWS service ${w.principal}${accounts.length > 0 ? ` ${parts.shift()}` : ''}`, ...parts].join(', ');
  return [way(AccessMapKind.SERVICE, who, s, consumed, broad)];
}
