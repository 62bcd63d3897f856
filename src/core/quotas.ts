/** The default IAM quota for a role trust policy, in characters without whitespace. */
export const DEFAULT_TRUST_POLICY_QUOTA = 2048;
/** The largest trust policy IAM documents after a quota increase. */
export const DEFAULT_MAX_TRUST_POLICY_SIZE = 4096;
