import { Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as iot from 'aws-cdk-lib/aws-iot';
import { Construct } from 'constructs';
import { IdentityPoolIdentityType, IdentityPoolRole } from './identity-pool-role';
import { COGNITO_IDENTITY_ID_VARIABLE } from './private';
import { fail, siteOf } from '../core/errors';
import { iam5ResourceFindingId } from '../core/nag-ids';
import { quote } from '../core/validation';

/** Properties for a {@link PerIdentityIotAccess}. */
export interface PerIdentityIotAccessProps {
  /** The identity pool role whose identities are the devices (or app users) that connect. */
  readonly role: IdentityPoolRole;

  /**
   * The topic level under which each identity has its own topics:
   * `<topicPrefix>/<identity id>` and `<topicPrefix>/<identity id>/...`. Without leading or
   * trailing `/`, wildcards or policy variables.
   */
  readonly topicPrefix: string;
}

/**
 * Per-identity AWS IoT Core access for the identities of a Cognito identity pool: each
 * identity connects only with its identity id as MQTT client id, and publishes, receives
 * and subscribes only under `<topicPrefix>/<identity id>`.
 *
 * The same statements go to the role (an IAM policy) and, for authenticated identities, to
 * an AWS IoT policy (`AWS::IoT::Policy`): AWS IoT authorizes an authenticated Cognito
 * identity only when an IoT policy is also attached to the identity itself. Your sign-in
 * backend attaches it once per identity, after the identity exists:
 * `iot:AttachPolicy` with `policyName` = {@link iotPolicyName} and `target` = the identity
 * id (`GetId`). Guests (unauthenticated identities) are authorized by the role's policy
 * alone, so no IoT policy is created for a guest role.
 *
 * @see https://docs.aws.amazon.com/iot/latest/developerguide/cog-iot-policies.html
 */
export class PerIdentityIotAccess extends Construct {
  /** The AWS IoT policy to attach to each authenticated identity, unless the role serves guests. */
  public readonly iotPolicy?: iot.CfnPolicy;

  /** The name of the AWS IoT policy (`iot:AttachPolicy` `policyName`), unless the role serves guests. */
  public readonly iotPolicyName?: string;

  /** The grant of the same statements on the role. */
  public readonly grant: iam.Grant;

  constructor(scope: Construct, id: string, props: PerIdentityIotAccessProps) {
    const site = siteOf('PerIdentityIotAccess', scope, id);
    const prefix = props.topicPrefix;
    if (!Token.isUnresolved(prefix) && (prefix === '' || prefix.startsWith('/') || prefix.endsWith('/') || prefix.includes('//')
      || /[*?$#+]/.test(prefix) || prefix.length > 200)) {
      fail(site, 'topicPrefix', `${quote(prefix)} is not a topic level for the per-identity topics`,
        'give topic levels such as \'devices\' or \'acme/telemetry\', without leading or trailing \'/\', wildcards (* ? + #) or policy variables');
    }
    super(scope, id);

    const stack = Stack.of(props.role);
    const arn = (resource: string) => stack.formatArn({ service: 'iot', resource });
    const own = `${props.topicPrefix}/${COGNITO_IDENTITY_ID_VARIABLE}`;
    const statements = [
      { actions: ['iot:Connect'], resources: [arn(`client/${COGNITO_IDENTITY_ID_VARIABLE}`)] },
      { actions: ['iot:Publish', 'iot:Receive'], resources: [arn(`topic/${own}`), arn(`topic/${own}/*`)] },
      { actions: ['iot:Subscribe'], resources: [arn(`topicfilter/${own}`), arn(`topicfilter/${own}/*`)] },
    ];
    this.grant = statements
      .map(s => iam.Grant.addToPrincipal({ grantee: props.role, actions: s.actions, resourceArns: s.resources }))
      .reduce((a, b) => a.combine(b));
    for (const wildcard of [arn(`topic/${own}/*`), arn(`topicfilter/${own}/*`)]) {
      Validations.of(props.role).acknowledge({
        id: iam5ResourceFindingId(stack.resolve(wildcard)),
        reason: 'Each identity needs every topic under its own level; the policy variable ${cognito-identity.amazonaws.com:sub} limits the wildcard to that level.',
      });
    }
    if (props.role.identityType === IdentityPoolIdentityType.AUTHENTICATED) {
      this.iotPolicy = new iot.CfnPolicy(this, 'IotPolicy', {
        policyDocument: {
          Version: '2012-10-17',
          Statement: statements.map(s => ({ Effect: 'Allow', Action: s.actions, Resource: s.resources })),
        },
      });
      this.iotPolicyName = this.iotPolicy.ref;
    }
  }
}
