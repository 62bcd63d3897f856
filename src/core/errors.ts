import { IConstruct } from 'constructs';

/**
 * The one error this library throws for bad input.
 *
 * Its message names the construct path, the prop, the offending value and the fix, e.g.
 * `Invalid CrossAccountRole 'App/Stack/Deploy' prop 'trustedAccounts': '1234' is not a
 * 12-digit AWS account id; pass the account id, e.g. '111122223333'.`
 *
 * Not exported from the package: callers match on the message, as with aws-cdk-lib's
 * own validation errors.
 */
export class AccessPatternError extends Error {
  /**
   * An error about one prop of one construct.
   *
   * @param kind the construct's class name, e.g. `CrossAccountRole`
   * @param path the construct path (use {@link pathOf} before `super()`)
   * @param prop the prop name as the user wrote it
   * @param problem what is wrong, quoting the value
   * @param fix what to do instead
   */
  public static invalidProp(kind: string, path: string, prop: string, problem: string, fix: string): AccessPatternError {
    return new AccessPatternError(`Invalid ${kind} '${path}' prop '${prop}': ${problem}; ${fix}.`);
  }

  constructor(message: string) {
    super(message);
    this.name = 'AccessPatternError';
    Object.setPrototypeOf(this, AccessPatternError.prototype);
  }
}

/** The construct path a child with this id will have, usable before `super()`. */
export function pathOf(scope: IConstruct, id: string): string {
  return scope.node.path ? `${scope.node.path}/${id}` : id;
}

/** Where an error is reported: the construct kind and path. */
export interface ErrorSite {
  /** The construct's class name. */
  readonly kind: string;
  /** The construct path. */
  readonly path: string;
}

/** Builds an {@link ErrorSite} from a scope and id (before `super()`) or a construct. */
export function siteOf(kind: string, scope: IConstruct, id?: string): ErrorSite {
  return { kind, path: id === undefined ? scope.node.path : pathOf(scope, id) };
}

/** Throws the house error for `prop` at `site`. */
export function fail(site: ErrorSite, prop: string, problem: string, fix: string): never {
  throw AccessPatternError.invalidProp(site.kind, site.path, prop, problem, fix);
}
