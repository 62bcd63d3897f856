import { parse } from 'path';
import { CfnResource, Stack } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { findResource, logicalIdOf, onReset, resolvedProperty } from '../stack-index';
import { describe } from '../trust-statements';

/** A key of a resolved struct, in either case (camelCase from an L1, PascalCase from a template). */
function field(obj: unknown, name: string): unknown {
  if (!obj || typeof obj !== 'object') return undefined;
  const o = obj as Record<string, unknown>;
  return name in o ? o[name] : o[name.charAt(0).toLowerCase() + name.slice(1)];
}

/**
 * What metadata options say about IMDSv1: `required` tokens or a disabled endpoint serve no
 * IMDSv1 credentials; anything else (no options, `optional`, a value only known at deploy
 * time) may.
 */
function imdsFindings(node: CfnResource, options: unknown): string[] | undefined {
  if (options === undefined) return undefined;
  if (!options || typeof options !== 'object' || Array.isArray(options)) return ['Unresolved::MetadataOptions'];
  if (field(options, 'HttpEndpoint') === 'disabled') return [];
  const tokens = field(options, 'HttpTokens');
  if (tokens === 'required') return [];
  if (tokens === undefined) return undefined;
  return typeof tokens === 'string' ? [`HttpTokens::${tokens}`] : [`Unresolved::HttpTokens(${describe(node, tokens)})`];
}

let launchTemplatesByName = new WeakMap<Stack, Map<string, CfnResource>>();
onReset(() => { launchTemplatesByName = new WeakMap(); });

/** The launch template of the same stack that an instance names, by id (`Ref`) or by name. */
function launchTemplateOf(node: CfnResource, spec: unknown): CfnResource | undefined {
  const id = field(spec, 'LaunchTemplateId');
  const name = field(spec, 'LaunchTemplateName');
  for (const v of [id, name]) {
    const ref = (v as any)?.Ref ?? (Array.isArray((v as any)?.['Fn::GetAtt']) ? (v as any)['Fn::GetAtt'][0] : undefined);
    if (typeof ref === 'string') return findResource(node, ref);
  }
  if (typeof name !== 'string') return undefined;
  const stack = Stack.of(node);
  let byName = launchTemplatesByName.get(stack);
  if (!byName) {
    byName = new Map();
    for (const c of stack.node.findAll()) {
      if (!CfnResource.isCfnResource(c) || c.cfnResourceType !== 'AWS::EC2::LaunchTemplate' || Stack.of(c) !== stack) continue;
      const n = resolvedProperty(c, 'LaunchTemplateName');
      if (typeof n === 'string') byName.set(n, c);
    }
    launchTemplatesByName.set(stack, byName);
  }
  return byName.get(name);
}

/**
 * An EC2 instance, launch template or launch configuration serves no IMDSv1 credentials:
 * its metadata options require session tokens (`HttpTokens: required`, IMDSv2 only) or turn
 * the metadata endpoint off. Without `HttpTokens` the AMI and the account's defaults decide,
 * which may be `optional`. An instance passes through the launch template of the same
 * stack it names (aws-cdk-lib's `requireImdsv2: true`); its own `MetadataOptions` take
 * precedence.
 *
 * Findings: `Missing::HttpTokens`, `HttpTokens::optional`, `Unresolved::<what>` (a value
 * or launch template only known at deploy time: check it, then acknowledge).
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-options.html
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  let findings: string[] | undefined;
  switch (node.cfnResourceType) {
    case 'AWS::EC2::Instance': {
      findings = imdsFindings(node, resolvedProperty(node, 'MetadataOptions'));
      if (findings === undefined) {
        const spec = resolvedProperty(node, 'LaunchTemplate');
        if (spec !== undefined) {
          const template = launchTemplateOf(node, spec);
          findings = template
            ? imdsFindings(template, field(resolvedProperty(template, 'LaunchTemplateData'), 'MetadataOptions')) ?? [`Missing::HttpTokens(${logicalIdOf(template)})`]
            : [`Unresolved::LaunchTemplate(${describe(node, field(spec, 'LaunchTemplateId') ?? field(spec, 'LaunchTemplateName'))})`];
        }
      }
      break;
    }
    case 'AWS::EC2::LaunchTemplate':
      findings = imdsFindings(node, field(resolvedProperty(node, 'LaunchTemplateData'), 'MetadataOptions'));
      break;
    case 'AWS::AutoScaling::LaunchConfiguration':
      findings = imdsFindings(node, resolvedProperty(node, 'MetadataOptions'));
      break;
    default:
      return NagRuleCompliance.NOT_APPLICABLE;
  }
  findings = findings ?? ['Missing::HttpTokens'];
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}, 'name', { value: parse(__filename).name });
