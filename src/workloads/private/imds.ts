import { Token } from 'aws-cdk-lib';
import { ErrorSite, fail } from '../../core/errors';

/**
 * The instance metadata options of every instance and launch template that serves a
 * workload role's credentials: tokens required (IMDSv2 only), the endpoint on, and a hop
 * limit of 1 (2 where containers on the host must reach IMDS).
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-options.html
 */

/** The hop limits EC2 accepts. */
export const MIN_HOP_LIMIT = 1;
export const MAX_HOP_LIMIT = 64;

/** A hop limit of 1-64 (whole number). */
export function validateHopLimit(site: ErrorSite, prop: string, value: number): void {
  if (Token.isUnresolved(value)) return;
  if (!Number.isInteger(value) || value < MIN_HOP_LIMIT || value > MAX_HOP_LIMIT) {
    fail(site, prop, `${value} is not a hop limit EC2 accepts (whole numbers ${MIN_HOP_LIMIT}-${MAX_HOP_LIMIT})`,
      'use 1 (the instance itself), or 2 where containers on the host must reach the instance metadata service');
  }
}

/** What the caller asked of the metadata options, read from InstanceProps or LaunchTemplateProps. */
export interface MetadataRequest {
  readonly requireImdsv2?: boolean;
  readonly httpTokens?: string;
  readonly httpEndpoint?: boolean;
  readonly httpPutResponseHopLimit?: number;
  readonly role?: unknown;
  readonly instanceProfile?: unknown;
}

/**
 * Refuses props that would serve IMDSv1 credentials, turn the metadata endpoint off (the
 * role's credentials are served there), contradict the role's hop limit, or bring another
 * role or instance profile.
 */
export function validateMetadataRequest(site: ErrorSite, props: MetadataRequest, hopLimit: number): void {
  if (props.role !== undefined || props.instanceProfile !== undefined) {
    fail(site, props.role !== undefined ? 'role' : 'instanceProfile', 'the instance profile is the workload role\'s own',
      'leave role and instanceProfile out: the role attaches its instance profile');
  }
  if (props.requireImdsv2 === false) {
    fail(site, 'requireImdsv2', 'false would let the instance serve IMDSv1 credentials',
      'leave requireImdsv2 out: instances of a workload role always require IMDSv2 tokens');
  }
  if (props.httpTokens !== undefined && props.httpTokens !== 'required') {
    fail(site, 'httpTokens', `'${props.httpTokens}' would let the instance serve IMDSv1 credentials (requests without a session token)`,
      'leave httpTokens out: instances of a workload role always require IMDSv2 tokens');
  }
  if (props.httpEndpoint === false) {
    fail(site, 'httpEndpoint', 'false turns the instance metadata service off, which serves the role\'s credentials',
      'leave httpEndpoint out, or do not give the instance a workload role');
  }
  const hops = props.httpPutResponseHopLimit;
  if (hops !== undefined && !Token.isUnresolved(hops) && !Token.isUnresolved(hopLimit) && hops !== hopLimit) {
    fail(site, 'httpPutResponseHopLimit', `${hops} differs from the role's metadataHopLimit of ${hopLimit}`,
      'set the hop limit once, with the role\'s metadataHopLimit');
  }
}
