import { Construct } from 'constructs';
import { ecsTaskSourceConditions, servicePrincipal } from './private/service-trust';
import { PatternRole, patternRoleSite } from '../core/pattern-role';
import { PatternRoleProps } from '../core/pattern-role-props.generated';

/** Properties for an {@link EcsTaskRole}. */
export interface EcsTaskRoleProps extends PatternRoleProps {
  /**
   * The regions where the tasks that use this role run. The trust requires
   * `aws:SourceArn` like `arn:<partition>:ecs:<region>:<account>:*` for each (the ECS guide's
   * confused-deputy condition); a task in another region cannot assume the role.
   *
   * ECS does not support naming one cluster in `aws:SourceArn`, so every cluster of the
   * account in these regions can run tasks with this role: who may pass the role
   * (`iam:PassRole`) decides which task definitions use it.
   *
   * @default - the stack's region
   * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html
   */
  readonly taskRegions?: string[];
}

/**
 * The task role of ECS (and Fargate) tasks: the credentials the containers' code uses.
 * Trusted by `ecs-tasks.amazonaws.com` with the conditions the ECS guide documents for task
 * roles: `StringEquals aws:SourceAccount` with the stack's account and `ArnLike
 * aws:SourceArn arn:<partition>:ecs:<region>:<account>:*`, so that ECS assumes it only for
 * tasks of this account.
 *
 * Use it as the `taskRole` of an aws-cdk-lib `TaskDefinition`.
 *
 * @example
 * const taskRole = new EcsTaskRole(this, 'OrdersTask');
 * new ecs.FargateTaskDefinition(this, 'Orders', { taskRole, executionRole: new EcsTaskExecutionRole(this, 'OrdersExecution') });
 */
export class EcsTaskRole extends PatternRole {
  constructor(scope: Construct, id: string, props: EcsTaskRoleProps = {}) {
    const site = patternRoleSite('EcsTaskRole', scope, id, props);
    const conditions = ecsTaskSourceConditions(site, scope, 'taskRegions', props.taskRegions);
    super(scope, id, 'EcsTaskRole', props);
    this.trust.addStatement({ principals: [servicePrincipal('ecs-tasks.amazonaws.com')], actions: ['sts:AssumeRole'], conditions });
  }
}
