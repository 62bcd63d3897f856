import { Construct } from 'constructs';
import { servicePrincipal } from './private/service-trust';
import { PatternRole, patternRoleSite } from '../core/pattern-role';
import { PatternRoleProps } from '../core/pattern-role-props.generated';

/** Properties for a {@link LambdaExecutionRole}. */
export interface LambdaExecutionRoleProps extends PatternRoleProps {}

/**
 * The execution role of Lambda functions: trusted by `lambda.amazonaws.com`, without
 * conditions (the Lambda guide does not document that Lambda sends `aws:SourceAccount` or
 * `aws:SourceArn` when it assumes an execution role, and a condition on a key it does not
 * send would make the role unusable).
 *
 * Use it as the `role` of an aws-cdk-lib `Function`; the role has no permissions until
 * you grant them (the function's log group included).
 *
 * @example
 * const role = new LambdaExecutionRole(this, 'ResizeImages');
 * new lambda.Function(this, 'Resize', { runtime, handler, code, role });
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
 */
export class LambdaExecutionRole extends PatternRole {
  constructor(scope: Construct, id: string, props: LambdaExecutionRoleProps = {}) {
    patternRoleSite('LambdaExecutionRole', scope, id, props);
    super(scope, id, 'LambdaExecutionRole', props);
    this.trust.addStatement({ principals: [servicePrincipal('lambda.amazonaws.com')], actions: ['sts:AssumeRole'] });
  }
}
