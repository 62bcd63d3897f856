import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { TEST_ACCOUNT, TEST_REGION } from './env';

/** A synthesized template as plain JSON. */
export type TemplateJson = { Resources: Record<string, { Type: string; Properties?: any }>; [k: string]: any };

/** Concrete values substituted for intrinsics, keyed by `LogicalId` (Ref) or `LogicalId.Attribute` (GetAtt). */
export type IntrinsicValues = Record<string, string>;

/** Synthesizes the stack (running aspects and validations) and returns its template JSON. */
export function templateOf(stack: Stack): TemplateJson {
  return Template.fromStack(stack).toJSON() as TemplateJson;
}

/** The logical id of a role in its stack. */
export function logicalIdOf(role: iam.Role): string {
  const cfn = role.node.defaultChild as iam.CfnRole;
  return Stack.of(role).resolve(cfn.logicalId);
}

/** The concrete ARN a role gets in the tests: its logical id as the role name. */
export function testRoleArn(stack: Stack, role: iam.Role): string {
  const account = stack.resolve(stack.account);
  return `arn:aws:iam::${typeof account === 'string' ? account : TEST_ACCOUNT}:role/${logicalIdOf(role)}`;
}

/**
 * Evaluates the CloudFormation intrinsics of a value against a template, with concrete
 * test values: pseudo parameters, Ref / GetAtt of IAM OIDC and SAML providers, roles and
 * CfnJson custom resources, Fn::Join, Fn::Sub, Fn::Select and Fn::Split.
 */
export function resolveIntrinsics(template: TemplateJson, value: unknown, overrides: IntrinsicValues = {}, account: string = TEST_ACCOUNT): any {
  const pseudo: Record<string, string> = {
    'AWS::Partition': 'aws',
    'AWS::AccountId': account,
    'AWS::Region': TEST_REGION,
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::StackName': 'TestStack',
  };
  const resources = template.Resources ?? {};

  const ref = (name: string): string => {
    if (overrides[name] !== undefined) return overrides[name];
    if (pseudo[name] !== undefined) return pseudo[name];
    const r = resources[name];
    if (!r) throw new Error(`cannot resolve Ref ${name}: not in the template and no override`);
    switch (r.Type) {
      case 'AWS::IAM::OIDCProvider':
      case 'Custom::AWSCDKOpenIdConnectProvider': {
        const url = String(go(r.Properties?.Url)).replace(/^https:\/\//, '');
        return `arn:aws:iam::${account}:oidc-provider/${url}`;
      }
      case 'AWS::IAM::SAMLProvider':
        return `arn:aws:iam::${account}:saml-provider/${r.Properties?.Name ? go(r.Properties.Name) : name}`;
      case 'AWS::IAM::Role':
        return r.Properties?.RoleName ? String(go(r.Properties.RoleName)) : name;
      default:
        return name;
    }
  };

  const getAtt = (logicalId: string, attribute: string): unknown => {
    const key = `${logicalId}.${attribute}`;
    if (overrides[key] !== undefined) return overrides[key];
    const r = resources[logicalId];
    if (!r) throw new Error(`cannot resolve GetAtt ${key}: not in the template and no override`);
    if (r.Type === 'Custom::AWSCDKCfnJson' && attribute === 'Value') {
      return JSON.parse(String(go(r.Properties?.Value)));
    }
    if (r.Type === 'AWS::IAM::Role' && attribute === 'Arn') {
      return `arn:aws:iam::${account}:role/${ref(logicalId)}`;
    }
    if ((r.Type === 'AWS::IAM::OIDCProvider' || r.Type === 'AWS::IAM::SAMLProvider') && attribute === 'Arn') {
      return ref(logicalId);
    }
    throw new Error(`cannot resolve GetAtt ${key}: pass it in the overrides`);
  };

  const go = (v: unknown): any => {
    if (Array.isArray(v)) return v.map(go);
    if (v === null || typeof v !== 'object') return v;
    const obj = v as Record<string, any>;
    const keys = Object.keys(obj);
    if (keys.length === 1) {
      const [k] = keys;
      const arg = obj[k];
      switch (k) {
        case 'Ref': return ref(arg);
        case 'Fn::GetAtt': {
          const [id, attr] = Array.isArray(arg) ? arg : String(arg).split('.');
          return getAtt(id, attr);
        }
        case 'Fn::Join': return (go(arg[1]) as unknown[]).map(x => String(x)).join(arg[0]);
        case 'Fn::Select': return (go(arg[1]) as unknown[])[Number(go(arg[0]))];
        case 'Fn::Split': return String(go(arg[1])).split(arg[0]);
        case 'Fn::Sub': {
          const [text, vars] = Array.isArray(arg) ? arg : [arg, {}];
          return String(text).replace(/\$\{([^}]+)\}/g, (_m: string, name: string) => {
            if (vars && vars[name] !== undefined) return String(go(vars[name]));
            const [id, attr] = name.split('.');
            return String(attr ? getAtt(id, attr) : ref(id));
          });
        }
        default:
          if (k.startsWith('Fn::')) throw new Error(`intrinsic ${k} is not supported by the test resolver`);
      }
    }
    const out: Record<string, any> = {};
    for (const [key, val] of Object.entries(obj)) out[key] = go(val);
    return out;
  };

  return go(value);
}

/** The role's trust policy from the synthesized template, with intrinsics evaluated. */
export function trustPolicyOf(stack: Stack, role: iam.Role, overrides: IntrinsicValues = {}): any {
  const template = templateOf(stack);
  const resource = template.Resources[logicalIdOf(role)];
  if (!resource) throw new Error(`role ${role.node.path} is not in the template of ${stack.node.path}`);
  const account = stack.resolve(stack.account);
  return resolveIntrinsics(template, resource.Properties.AssumeRolePolicyDocument, overrides, typeof account === 'string' ? account : TEST_ACCOUNT);
}
