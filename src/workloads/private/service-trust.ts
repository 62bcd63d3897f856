import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { ErrorSite, fail } from '../../core/errors';
import { TrustCondition } from '../../core/trust-condition';
import { quote } from '../../core/validation';

/**
 * The trust of a workload role: one AWS service principal, `sts:AssumeRole`, and the
 * confused-deputy conditions only where the service documents that it sends them (a
 * condition on a key the service does not send makes the role unusable).
 */

/** Region codes (`eu-west-1`, `us-gov-west-1`, `cn-north-1`, `eusc-de-east-1`). */
const REGION = /^[a-z]{2,4}(-[a-z]+)+-\d+$/;

/** The service principal of a workload (`ec2.amazonaws.com`, rendered for the stack's partition by aws-cdk-lib). */
export function servicePrincipal(service: string): iam.ServicePrincipal {
  return new iam.ServicePrincipal(service);
}

/**
 * The conditions the ECS guide documents for task roles: `StringEquals aws:SourceAccount`
 * with the account, and `ArnLike aws:SourceArn arn:<partition>:ecs:<region>:<account>:*`
 * for each region the tasks run in (a single cluster is not supported by ECS, so the ARN
 * ends in `*`).
 *
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html
 */
export function ecsTaskSourceConditions(site: ErrorSite, scope: IConstruct, prop: string, regions: readonly string[] | undefined): TrustCondition[] {
  const stack = Stack.of(scope);
  const list = regions ?? [stack.region];
  if (!Token.isUnresolved(list) && list.length === 0) {
    fail(site, prop, 'the list is empty', 'list the regions where the tasks run, or leave the prop out for the stack\'s region');
  }
  for (const r of list) {
    if (Token.isUnresolved(r)) continue;
    if (!REGION.test(r)) {
      fail(site, prop, `${quote(r)} is not a region code`, 'give region codes such as \'eu-west-1\'; wildcards are not accepted: name each region the tasks run in');
    }
  }
  const seen = new Set<string>();
  for (const r of list) {
    if (!Token.isUnresolved(r) && seen.has(r)) fail(site, prop, `${quote(r)} is listed more than once`, 'list each region once');
    seen.add(r);
  }
  return [
    TrustCondition.stringEquals('aws:SourceAccount', [stack.account]),
    TrustCondition.arnMatches('aws:SourceArn', list.map(r => `arn:${stack.partition}:ecs:${r}:${stack.account}:*`)),
  ];
}
