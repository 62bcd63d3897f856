import { Token } from 'aws-cdk-lib';
import { ErrorSite, fail } from '../core/errors';
import { quote, validateAccountId } from '../core/validation';

/** `ou-<root id part>-<ou id part>` (AWS Organizations). */
const OU_ID = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;

/**
 * Where an assignment gives access: AWS accounts, directly or as the members of an
 * organizational unit.
 *
 * `AWS::SSO::Assignment` only targets accounts, and CloudFormation cannot list an OU's
 * accounts: an OU is given together with its account ids and expanded at synthesis into
 * one assignment per account. An account's assignment has the same logical id whether
 * the account is listed directly or through its OU.
 */
export class AssignmentTarget {
  /** One or more accounts by their 12-digit ids. */
  public static accounts(accountIds: string[]): AssignmentTarget {
    return new AssignmentTarget(accountIds);
  }

  /**
   * The accounts of an organizational unit, listed by id (e.g. from
   * `aws organizations list-accounts-for-parent --parent-id ou-...`). Accounts moved into
   * the OU later get access only once they are added here.
   */
  public static organizationalUnit(organizationalUnitId: string, accountIds: string[]): AssignmentTarget {
    return new AssignmentTarget(accountIds, organizationalUnitId);
  }

  /** The OU id, for an OU target. */
  public readonly organizationalUnitId?: string;
  /** The accounts the target expands to. */
  public readonly accountIds: string[];

  protected constructor(accountIds: string[], organizationalUnitId?: string) {
    this.organizationalUnitId = organizationalUnitId;
    this.accountIds = [...accountIds];
  }

  /** Validates the target for the construct at `site`. @internal */
  public _validate(site: ErrorSite, prop: string): void {
    const ou = this.organizationalUnitId;
    if (ou !== undefined && !Token.isUnresolved(ou) && !OU_ID.test(ou)) {
      fail(site, prop, `${quote(ou)} is not an organizational unit id`, 'pass the OU id, e.g. \'ou-ab12-cd34ef56\'');
    }
    if (!Token.isUnresolved(this.accountIds) && this.accountIds.length === 0) {
      fail(site, prop, ou !== undefined ? `the organizational unit ${quote(ou)} lists no accounts` : 'no account is listed',
        ou !== undefined
          ? `list the OU's account ids (aws organizations list-accounts-for-parent --parent-id ${ou}); CloudFormation cannot expand OUs`
          : 'list at least one 12-digit account id');
    }
    this.accountIds.forEach(a => validateAccountId(site, prop, a));
  }
}
