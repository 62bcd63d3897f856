import { Stack } from 'aws-cdk-lib';
import { addChains } from './chains';
import { describeTemplate } from './describe';
import { linkTargets } from './link';
import {
  AccessMapAssignment, AccessMapChange, AccessMapChangeType, AccessMapClusterAccess, AccessMapPermissionSet, AccessMapRole,
} from './model';
import { assumeText, chainText, clusterAccessText, diffMarkdown, mapMarkdown, mapMermaid, sessionText } from './render';
import { LoadedTemplate, templatesOfAssembly, templatesOfStack } from './templates';

/** Options for reading an access map. */
export interface AccessMapOptions {
  /**
   * A prefix for every stack name, e.g. the app's name when several assemblies are combined.
   *
   * @default - stack names as the assembly gives them
   */
  readonly prefix?: string;
}

/**
 * Who can get into which role, under what conditions, with which permissions: read from
 * synthesized templates, so it works for any CDK app, built with this library or not.
 *
 * Every `AWS::IAM::Role` of every stack and nested stack is listed with each way into it in
 * plain words ("GitHub Actions: acme/api, branch main", "account 111122223333 with
 * ExternalId"), its session limit and a permission summary; IAM Identity Center permission
 * sets and assignments are listed as a principal × permission set × account matrix.
 * Values only known at deploy time are shown as `⟨...⟩`, never guessed.
 *
 * @example
 * const map = AccessMap.fromAssembly('cdk.out');
 * fs.writeFileSync('access-map.md', map.toMarkdown());
 */
export class AccessMap {
  /**
   * Reads every stack of a cloud assembly directory (`cdk.out`), stages and nested stacks included.
   *
   * @param directory the assembly directory, e.g. `cdk.out`
   */
  public static fromAssembly(directory: string, options: AccessMapOptions = {}): AccessMap {
    const warnings: string[] = [];
    return AccessMap.fromTemplates(templatesOfAssembly(directory, warnings), options, warnings);
  }

  /**
   * Reads one stack and its nested stacks. Synthesizes the stack's app (or stage) first.
   */
  public static fromStack(stack: Stack, options: AccessMapOptions = {}): AccessMap {
    const warnings: string[] = [];
    return AccessMap.fromTemplates(templatesOfStack(stack, warnings), options, warnings);
  }

  /** One map of several, e.g. of the assemblies of several apps (give each a `prefix`). */
  public static combine(maps: AccessMap[]): AccessMap {
    return new AccessMap(
      maps.flatMap(m => m.roles),
      maps.flatMap(m => m.permissionSets),
      maps.flatMap(m => m.assignments),
      maps.flatMap(m => m.warnings),
      maps.flatMap(m => m.clusterAccess),
    );
  }

  /**
   * The access that `after` grants and `before` does not (added), and the reverse (removed):
   * the review question for a pull request.
   */
  public static diff(before: AccessMap, after: AccessMap): AccessMapChange[] {
    const old = before.facts();
    const now = after.facts();
    const changes: AccessMapChange[] = [];
    for (const [key, fact] of now) if (!old.has(key)) changes.push({ ...fact, changeType: AccessMapChangeType.ADDED });
    for (const [key, fact] of old) if (!now.has(key)) changes.push({ ...fact, changeType: AccessMapChangeType.REMOVED });
    return changes;
  }

  /** The changes of {@link AccessMap.diff} as Markdown, for a pull request comment. */
  public static diffToMarkdown(changes: AccessMapChange[]): string {
    return diffMarkdown(changes);
  }

  private static fromTemplates(templates: LoadedTemplate[], options: AccessMapOptions, warnings: string[]): AccessMap {
    const prefix = options.prefix ? `${options.prefix}/` : '';
    const parts = addChains(templates, linkTargets(templates, templates.map(t => describeTemplate({ ...t, stack: `${prefix}${t.stack}` }))));
    return new AccessMap(
      parts.flatMap(p => p.roles),
      parts.flatMap(p => p.permissionSets),
      parts.flatMap(p => p.assignments),
      warnings.map(w => `${prefix}${w}`),
      parts.flatMap(p => p.clusterAccess),
    );
  }

  /** Every IAM role, in stack and template order. */
  public readonly roles: AccessMapRole[];

  /** Every IAM Identity Center permission set. */
  public readonly permissionSets: AccessMapPermissionSet[];

  /** Every IAM Identity Center account assignment. */
  public readonly assignments: AccessMapAssignment[];

  /** What could not be read, e.g. a nested stack whose template the assembly does not hold. */
  public readonly warnings: string[];

  /** Every EKS access entry: who can administer or use which cluster. */
  public readonly clusterAccess: AccessMapClusterAccess[];

  private constructor(
    roles: AccessMapRole[], permissionSets: AccessMapPermissionSet[], assignments: AccessMapAssignment[], warnings: string[],
    clusterAccess: AccessMapClusterAccess[],
  ) {
    this.roles = roles;
    this.permissionSets = permissionSets;
    this.assignments = assignments;
    this.warnings = warnings;
    this.clusterAccess = clusterAccess;
  }

  /** The map as Markdown: tables per stack, the Identity Center matrix and a Mermaid diagram. */
  public toMarkdown(): string {
    return mapMarkdown(this);
  }

  /** The map as a Mermaid flowchart (without the Markdown code fence). */
  public toMermaid(): string {
    return mapMermaid(this);
  }

  /** The map as JSON text, for tooling. */
  public toJson(): string {
    return JSON.stringify({
      version: 1,
      roles: this.roles,
      permissionSets: this.permissionSets,
      assignments: this.assignments,
      clusterAccess: this.clusterAccess,
      warnings: this.warnings,
    }, undefined, 2) + '\n';
  }

  /** Every fact a diff compares, by a key that identifies it across assemblies. */
  private facts(): Map<string, Omit<AccessMapChange, 'changeType'>> {
    const facts = new Map<string, Omit<AccessMapChange, 'changeType'>>();
    for (const role of this.roles) {
      const subject = `role ${role.stack}/${role.path} (${role.roleName})`;
      const add = (text: string, broad?: string) => facts.set(`${role.stack}\u0000${role.path}\u0000${text}\u0000${broad ?? ''}`, { subject, text, ...(broad ? { broad } : {}) });
      for (const w of role.waysIn) {
        const conditions = w.conditions.length > 0 ? ` (${w.conditions.join('; ')})` : '';
        // The actions and the broad reason are part of the fact: a way in that gains
        // sts:AssumeRole, or becomes broad, is a change.
        add(`way in: ${w.who}${conditions}; allows ${w.actions.join(', ')}`, w.broad);
      }
      add(`session: up to ${role.sessionLimit}`);
      for (const p of role.permissions.managedPolicies) add(`managed policy: ${p}`);
      for (const a of role.permissions.allowedActions) add(`allowed action: ${a}`);
      for (const f of role.permissions.flags) add(`permissions: ${f}`);
      if (role.permissions.permissionsBoundary) add(`permissions boundary: ${role.permissions.permissionsBoundary}`);
      for (const t of role.permissions.mayAssume ?? []) add(`may assume: ${assumeText(t)}`);
      for (const d of role.denies) add(`trust: ${d}`);
      // A new chain into a role is added access, broad when its first way in is.
      for (const c of role.chains ?? []) add(`way in through a chain: ${chainText(c)}`, c.risk ?? c.broad);
    }
    for (const set of this.permissionSets) {
      const subject = `permission set ${set.name} (${set.stack})`;
      const add = (text: string) => facts.set(`ps\u0000${set.stack}\u0000${set.name}\u0000${text}`, { subject, text });
      add(`session: up to ${sessionText(set.sessionDuration)}`);
      for (const p of set.permissions.managedPolicies) add(`managed policy: ${p}`);
      for (const a of set.permissions.allowedActions) add(`allowed action: ${a}`);
      for (const f of set.permissions.flags) add(`permissions: ${f}`);
      if (set.permissions.permissionsBoundary) add(`permissions boundary: ${set.permissions.permissionsBoundary}`);
      for (const t of set.permissions.mayAssume ?? []) add(`may assume: ${assumeText(t)}`);
    }
    for (const a of this.assignments) {
      const text = `assignment: ${a.principal} → ${a.permissionSet} in account ${a.account}`;
      facts.set(`as\u0000${text}`, { subject: 'IAM Identity Center', text });
    }
    for (const e of this.clusterAccess) {
      const text = `access entry: ${clusterAccessText(e)}`;
      facts.set(`eks\u0000${e.stack}\u0000${e.cluster}\u0000${text}`, { subject: `EKS cluster ${e.cluster} (${e.stack})`, text });
    }
    return facts;
  }
}
