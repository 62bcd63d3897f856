/**
 * The one definition of a narrow trust. Given one trust statement, read as far as
 * synthesis allows (see `trust-reader.ts`), it says for each way in: the principal kind,
 * which condition pins the tenant (the GitHub owner, the AWS account, the trust anchor,
 * the identity pool ...) and the workload (the repository, the role, the certificate,
 * the service account), and, where the way in is wider than that, why and how to fix it.
 *
 * Construct validation, the nag rules and the access map all ask this module; none of
 * them keeps rules of its own about what narrows.
 */
export { Breadth, ScopeCheck, WayKind } from './model';
export type { ScopeContext, ScopeReason, StatementScope, SubjectEntry, WayScope } from './model';
export { allowsAction, isMultiValuedKey, isNarrowingOperator, isPattern, serviceName } from './conditions';
export { principalArnPatternNarrows } from './aws';
export { subjectBreadth } from './issuers';
export { statementScope } from './statement';
export { builtInProvider } from './federated';
export type { BuiltInProvider } from './federated';
