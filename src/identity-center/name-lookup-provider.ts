import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, IConstruct } from 'constructs';
import { acknowledgeWhenRendered, iam4PolicyFindingId, iam5ResourceFindingId } from '../core/nag-ids';

/** One name lookup: a group display name or a user name in an identity store. */
export interface NameLookupRequest {
  /** Group (`GetGroupId`) or user (`GetUserId`). */
  readonly isGroup: boolean;
  /** The identity store id. */
  readonly identityStoreId: string;
  /** The account owning the store; undefined for the stack's account. */
  readonly ownerAccount?: string;
  /** The display name or user name. */
  readonly attributeValue: string;
}

/**
 * The IAM role and the one policy that every Identity Center name lookup of a stack
 * uses. Each `AwsCustomResource` given only a `policy` adds its own `AWS::IAM::Policy` to
 * the provider's shared role, so ~50 lookups exceed IAM's 10,240-character quota of
 * inline policies per role and the deployment fails; here the lookups pass `role:` and
 * share one statement per action, listing each identity store once.
 */
export class NameLookupProvider extends Construct {
  /** The provider of `stack`, created on first use. */
  public static of(stack: Stack): NameLookupProvider {
    const existing = stack.node.tryFindChild(PROVIDER_ID) as NameLookupProvider | undefined;
    return existing ?? new NameLookupProvider(stack, PROVIDER_ID);
  }

  /** The role the AwsCustomResource provider function runs with. */
  public readonly role: iam.Role;
  /** The one policy of every lookup of the stack. */
  public readonly policy: iam.Policy;

  private readonly statements = new Map<string, iam.PolicyStatement>();
  private readonly granted = new Set<string>();
  private readonly extraRoles = new Set<iam.IRole>();

  private constructor(scope: Stack, id: string) {
    super(scope, id);
    const basicExecution = iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole');
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Runs the IAM Identity Center name lookups (identitystore:GetGroupId / GetUserId) of this stack',
      managedPolicies: [basicExecution],
    });
    acknowledgeBasicExecution(this.role, basicExecution,
      'The role of the aws-cdk-lib AwsCustomResource provider function (Identity Center name lookups) logs to CloudWatch with the AWS managed basic execution policy, which grants only log writing.');
    this.policy = new iam.Policy(this, 'Policy', { roles: [this.role] });
  }

  /** Creates the lookup custom resource `id` in `scope`, granted through the stack's one policy. */
  public lookup(scope: Construct, id: string, request: NameLookupRequest): cr.AwsCustomResource {
    const stack = Stack.of(this);
    const action = request.isGroup ? 'GetGroupId' : 'GetUserId';
    const field = request.isGroup ? 'GroupId' : 'UserId';
    this.grant(action, request);
    const resource = new cr.AwsCustomResource(scope, id, {
      onUpdate: {
        service: 'IdentityStore',
        action,
        parameters: {
          IdentityStoreId: request.identityStoreId,
          AlternateIdentifier: {
            UniqueAttribute: { AttributePath: request.isGroup ? 'displayName' : 'userName', AttributeValue: request.attributeValue },
          },
        },
        physicalResourceId: cr.PhysicalResourceId.fromResponse(field),
      },
      role: this.role,
      installLatestAwsSdk: false,
    });
    resource.node.addDependency(this.policy);
    this.coverProviderFunction(stack);
    return resource;
  }

  /** Adds the store (and the principals of its kind) to the action's one statement. */
  private grant(action: string, request: NameLookupRequest): void {
    const stack = Stack.of(this);
    let statement = this.statements.get(action);
    if (!statement) {
      const kind = request.isGroup ? 'group' : 'user';
      const anyPrincipal = stack.formatArn({ service: 'identitystore', region: '', account: '', resource: kind, resourceName: '*' });
      statement = new iam.PolicyStatement({ actions: [`identitystore:${action}`], resources: [anyPrincipal] });
      this.statements.set(action, statement);
      this.policy.addStatements(statement);
      // The id as the finding renders the ARN (arn:aws:... with partition literals and a
      // region, arn:<AWS::Partition>:... otherwise): computed when the template is rendered.
      acknowledgeWhenRendered(this.policy, policyStack => [{
        id: iam5ResourceFindingId(policyStack.resolve(anyPrincipal)),
        reason: `identitystore:${action} authorizes on the identity store and on the ${kind} it returns, whose id is what the lookup is for, so it cannot be named in advance; the action only maps a name to an id.`,
      }]);
    }
    const storeArn = stack.formatArn({
      service: 'identitystore',
      region: '',
      account: request.ownerAccount ?? stack.account,
      resource: 'identitystore',
      resourceName: request.identityStoreId,
    });
    const key = `${action}|${JSON.stringify(stack.resolve(storeArn))}`;
    if (this.granted.has(key)) return;
    this.granted.add(key);
    statement.addResources(storeArn);
  }

  /**
   * The provider function is a stack singleton: when another AwsCustomResource created it
   * first, it runs with that one's role, which then needs this policy too. Its findings
   * are acknowledged once, on the function aws-cdk-lib configures.
   */
  private coverProviderFunction(stack: Stack): void {
    const fn = stack.node.tryFindChild(PROVIDER_FUNCTION_ID) as lambda.SingletonFunction | lambda.Function | undefined;
    if (!fn) return;
    const role = fn instanceof lambda.Function ? fn.role : undefined;
    if (role && role !== this.role && !this.extraRoles.has(role)) {
      this.extraRoles.add(role);
      this.policy.attachToRole(role);
    }
    if (ACKNOWLEDGED.has(fn)) return;
    ACKNOWLEDGED.add(fn);
    acknowledgeBasicExecution(fn, iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole'),
      'The aws-cdk-lib AwsCustomResource provider function (Identity Center name lookups) logs to CloudWatch with the AWS managed basic execution policy, which grants only log writing.');
    // aws-cdk-lib gives its provider function the newest Node.js runtime its region facts
    // list (lambda.determineLatestNodeRuntime); cdk-nag's AwsSolutions-L1 compares with the
    // newest runtime aws-cdk-lib knows (Runtime.ALL), which a newer aws-cdk-lib can list first
    // (2.278 lists nodejs26.x and deploys its handlers on nodejs24.x). Acknowledged only while
    // the function keeps the runtime aws-cdk-lib gave it.
    const cfn = fn.node.tryFindChild('Resource');
    if (cfn instanceof lambda.CfnFunction) {
      const given = JSON.stringify(stack.resolve(cfn.runtime));
      acknowledgeWhenRendered(fn, fnStack => {
        const runtime = fnStack.resolve(cfn.runtime);
        if (JSON.stringify(runtime) !== given) return [];
        return [{
          id: 'AwsSolutions-L1',
          reason: `The aws-cdk-lib AwsCustomResource provider function (Identity Center name lookups) runs ${JSON.stringify(runtime)}, the runtime aws-cdk-lib `
            + 'gives the handler it bundles (the newest Node.js runtime of its region facts); it moves with aws-cdk-lib.',
        }];
      });
    }
    Validations.of(fn).acknowledge({
      id: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
      reason: 'The AwsCustomResource provider function only calls the public identitystore API at deployment to map a name to an id; '
        + 'it reaches no private resource, and a VPC would add a NAT gateway or endpoint for nothing.',
    });
  }
}

/** The construct id of the stack's lookup role and policy. */
const PROVIDER_ID = 'IdentityCenterNameLookups';
/** The construct id aws-cdk-lib gives the AwsCustomResource singleton function. */
const PROVIDER_FUNCTION_ID = 'AWS679f53fac002430cb0da5b7982bd2287';
const ACKNOWLEDGED = new WeakSet<IConstruct>();

/** Acknowledges AwsSolutions-IAM4 for `policy` on `scope`, with the policy ARN as the template renders it. */
function acknowledgeBasicExecution(scope: IConstruct, policy: iam.IManagedPolicy, reason: string): void {
  acknowledgeWhenRendered(scope, stack => [{ id: iam4PolicyFindingId(stack.resolve(policy.managedPolicyArn)), reason }]);
}
