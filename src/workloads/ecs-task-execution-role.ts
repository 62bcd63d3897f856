import { Construct } from 'constructs';
import { servicePrincipal } from './private/service-trust';
import { PatternRole, patternRoleSite } from '../core/pattern-role';
import { PatternRoleProps } from '../core/pattern-role-props.generated';

/** Properties for an {@link EcsTaskExecutionRole}. */
export interface EcsTaskExecutionRoleProps extends PatternRoleProps {}

/**
 * The task execution role of ECS (and Fargate) tasks: the ECS and Fargate agents use it to
 * pull images, send logs and read the secrets of the task definition; the containers never
 * see it. Trusted by `ecs-tasks.amazonaws.com` without conditions: the ECS guide documents
 * the confused-deputy conditions for task roles only, and a condition on a key the service
 * does not send would make the role unusable.
 *
 * Use it as the `executionRole` of an aws-cdk-lib `TaskDefinition`, which grants it the
 * image pulls, log streams and secrets of its containers.
 *
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html
 */
export class EcsTaskExecutionRole extends PatternRole {
  constructor(scope: Construct, id: string, props: EcsTaskExecutionRoleProps = {}) {
    patternRoleSite('EcsTaskExecutionRole', scope, id, props);
    super(scope, id, 'EcsTaskExecutionRole', props);
    this.trust.addStatement({ principals: [servicePrincipal('ecs-tasks.amazonaws.com')], actions: ['sts:AssumeRole'] });
  }
}
