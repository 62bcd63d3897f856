import { existsSync, readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import { CfnElement, NestedStack, Stack, Stage, cloud_assembly_schema as cxschema } from 'aws-cdk-lib';

/**
 * One synthesized CloudFormation template, top-level or nested, with what is needed to
 * read its intrinsics: the stack's environment and, for a nested stack, the parameters
 * its parent passes.
 */
export interface LoadedTemplate {
  /** The stack's display name; nested stacks read `Parent/Nested`. */
  readonly stack: string;
  /** The account the stack deploys to, when the assembly names one. */
  readonly account?: string;
  /** The region the stack deploys to, when the assembly names one. */
  readonly region?: string;
  readonly template: any;
  /**
   * Construct paths below the stack by logical id, for templates without `aws:cdk:path`
   * metadata (apps synthesized outside the CDK CLI).
   */
  readonly paths?: Map<string, string>;
  /** For a nested stack: the parent template and the parameter values it passes. */
  readonly parent?: { readonly template: LoadedTemplate; readonly parameters: Record<string, unknown> };
  /** For a nested stack: its construct path below its top-level stack (`Providers`, `Shard/Inner`). */
  readonly pathInRoot?: string;
  /** The nested stacks of this template whose template the assembly holds, by the logical id of their stack resource. */
  readonly nested?: Map<string, LoadedTemplate>;
  /**
   * Construct paths below the stack that aws-cdk-lib marks as handlers of its own custom
   * resources (construct metadata, only known when reading a construct tree).
   */
  readonly frameworkPaths?: Set<string>;
}

/** Construct metadata aws-cdk-lib puts on the handlers of its own custom resources. */
const FRAMEWORK_METADATA = /^aws:cdk:is-custom-resource-handler-(singleton|customResourceProvider)$/;

const NESTED_STACK = 'AWS::CloudFormation::Stack';

/**
 * Every stack of a cloud assembly directory, stages (nested assemblies) and nested stacks
 * included, in manifest order.
 */
export function templatesOfAssembly(directory: string, warnings: string[] = []): LoadedTemplate[] {
  const manifestFile = join(directory, 'manifest.json');
  if (!existsSync(manifestFile)) {
    throw new Error(`${directory} is not a cloud assembly (no manifest.json); run 'cdk synth' first or pass its --output directory`);
  }
  // Assemblies of newer CLIs or libraries are read too: only the artifact list is used.
  const manifest = cxschema.Manifest.loadAssemblyManifest(manifestFile, { skipVersionCheck: true, skipEnumCheck: true });
  const out: LoadedTemplate[] = [];
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type === cxschema.ArtifactType.AWS_CLOUDFORMATION_STACK) {
      const props = artifact.properties as cxschema.AwsCloudFormationStackProperties;
      const env = parseEnvironment(artifact.environment);
      const top: LoadedTemplate = {
        stack: artifact.displayName ?? props.stackName ?? id,
        ...env,
        template: readJson(join(directory, props.templateFile)),
        nested: new Map(),
      };
      out.push(top, ...nestedTemplates(directory, top, warnings));
    } else if (artifact.type === cxschema.ArtifactType.NESTED_CLOUD_ASSEMBLY) {
      const props = artifact.properties as cxschema.NestedCloudAssemblyProperties;
      out.push(...templatesOfAssembly(join(directory, props.directoryName), warnings));
    }
  }
  return out;
}

/**
 * A stack of an app and its nested stacks, synthesized with its stage (validation
 * plugins registered on the app run as in `cdk synth`).
 */
export function templatesOfStack(stack: Stack, warnings: string[] = []): LoadedTemplate[] {
  const stage = Stage.of(stack);
  if (!stage) throw new Error(`${stack.node.path} is not in an App or Stage; add it to one before reading its access map`);
  const assembly = stage.synth({ force: true });
  const account = stack.resolve(stack.account);
  const region = stack.resolve(stack.region);
  const env = {
    account: typeof account === 'string' && /^\d{12}$/.test(account) ? account : undefined,
    region: typeof region === 'string' && /^[a-z]{2}(-[a-z]+)+-\d$/.test(region) ? region : undefined,
  };
  const hints = treeHints(stack);
  const top: LoadedTemplate = {
    stack: stack.nestedStackParent ? stack.node.path : assembly.getStackArtifact(stack.artifactId).displayName,
    ...env,
    template: readJson(join(assembly.directory, stack.templateFile)),
    paths: hints.paths.get(stack.templateFile),
    nested: new Map(),
    frameworkPaths: hints.framework.get(stack.templateFile),
  };
  return [top, ...nestedTemplates(assembly.directory, top, warnings, hints, stack.templateFile)];
}

/** What the construct tree tells that the template may not: construct paths and nested stack files. */
interface TreeHints {
  /** Template file -> logical id -> construct path below its stack. */
  readonly paths: Map<string, Map<string, string>>;
  /** `<parent template file>/<logical id of the nested stack resource>` -> the nested template file. */
  readonly nestedFiles: Map<string, string>;
  /** Template file -> construct paths below its stack that aws-cdk-lib marks as its own custom resource handlers. */
  readonly framework: Map<string, Set<string>>;
}

function treeHints(root: Stack): TreeHints {
  const paths = new Map<string, Map<string, string>>();
  const nestedFiles = new Map<string, string>();
  const framework = new Map<string, Set<string>>();
  for (const c of root.node.findAll()) {
    if (c.node.metadata.some(m => FRAMEWORK_METADATA.test(m.type))) {
      const stack = Stack.of(c);
      const marked = framework.get(stack.templateFile) ?? new Set<string>();
      marked.add(c.node.path.slice(stack.node.path.length + 1));
      framework.set(stack.templateFile, marked);
    }
    if (c instanceof CfnElement) {
      const stack = c.stack;
      const byId = paths.get(stack.templateFile) ?? new Map<string, string>();
      byId.set(String(stack.resolve(c.logicalId)), c.node.path.slice(stack.node.path.length + 1));
      paths.set(stack.templateFile, byId);
    }
    if (NestedStack.isNestedStack(c) && c.nestedStackParent && c.nestedStackResource) {
      const parent = c.nestedStackParent;
      nestedFiles.set(`${parent.templateFile}/${parent.resolve(c.nestedStackResource.logicalId)}`, c.templateFile);
    }
  }
  return { paths, nestedFiles, framework };
}

/** The nested stacks of `parent`, depth first, from the template files the assembly holds. */
function nestedTemplates(directory: string, parent: LoadedTemplate, warnings: string[], hints?: TreeHints, parentFile?: string): LoadedTemplate[] {
  const out: LoadedTemplate[] = [];
  for (const [logicalId, resource] of Object.entries<any>(parent.template.Resources ?? {})) {
    if (resource?.Type !== NESTED_STACK) continue;
    // The template file: from asset metadata (cdk synth), the construct tree (fromStack), or
    // the asset manifests by the hash in TemplateURL (apps synthesized without metadata).
    const file = resource.Metadata?.['aws:asset:path'] ?? hints?.nestedFiles.get(`${parentFile}/${logicalId}`)
      ?? assetFileOf(directory, resource.Properties?.TemplateURL);
    if (typeof file !== 'string' || !existsSync(join(directory, file))) {
      warnings.push(`nested stack ${parent.stack}/${logicalId}: its template is not in the assembly, so its roles are not listed`);
      continue;
    }
    // `Scope/Name.NestedStack/Name.NestedStackResource` below the parent stack reads as `Parent/Scope/Name`.
    const m = /^(.+)\.NestedStack\/[^/]+\.NestedStackResource$/.exec(pathBelow(parent, logicalId, resource) ?? '');
    const name = m ? m[1] : logicalId;
    const child: LoadedTemplate = {
      stack: `${parent.stack}/${name}`,
      account: parent.account,
      region: parent.region,
      template: readJson(join(directory, file)),
      paths: hints?.paths.get(file),
      parent: { template: parent, parameters: resource.Properties?.Parameters ?? {} },
      pathInRoot: parent.pathInRoot ? `${parent.pathInRoot}/${name}` : name,
      nested: new Map(),
      frameworkPaths: hints?.framework.get(file),
    };
    parent.nested?.set(logicalId, child);
    out.push(child, ...nestedTemplates(directory, child, warnings, hints, file));
  }
  return out;
}

/**
 * The construct path of a resource below the stack of its template: from the construct tree,
 * or from its `aws:cdk:path` metadata, which starts at the top-level stack.
 */
export function pathBelow(loaded: LoadedTemplate, logicalId: string, resource: any): string | undefined {
  const metadata = resource?.Metadata?.['aws:cdk:path'];
  if (typeof metadata !== 'string') return loaded.paths?.get(logicalId);
  const below = metadata.split('/').slice(1).join('/');
  const prefix = loaded.pathInRoot ? `${loaded.pathInRoot}/` : '';
  return below.startsWith(prefix) ? below.slice(prefix.length) : below;
}

/** The file of the asset whose hash names the object in `templateUrl`, from the assembly's asset manifests. */
function assetFileOf(directory: string, templateUrl: unknown): string | undefined {
  const hash = /([0-9a-f]{64})\.json/.exec(JSON.stringify(templateUrl ?? ''))?.[1];
  if (!hash) return undefined;
  for (const name of readdirSync(directory).filter(f => f.endsWith('.assets.json'))) {
    const path = readJson(join(directory, name))?.files?.[hash]?.source?.path;
    if (typeof path === 'string') return path;
  }
  return undefined;
}

function parseEnvironment(environment: string | undefined): { account?: string; region?: string } {
  const m = /^aws:\/\/([^/]*)\/(.*)$/.exec(environment ?? '');
  if (!m) return {};
  return {
    account: /^\d{12}$/.test(m[1]) ? m[1] : undefined,
    region: m[2] && !m[2].startsWith('unknown-') ? m[2] : undefined,
  };
}

function readJson(file: string): any {
  return JSON.parse(readFileSync(file, 'utf8'));
}
