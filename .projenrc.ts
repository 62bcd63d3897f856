import type { PrimitiveType } from '@jsii/spec';
import { ProjenStruct, Struct } from '@mrgrain/jsii-struct-builder';
import { awscdk, javascript, JsonFile } from 'projen';

/** Versions the project is built and tested against. */
const CDK_VERSION = '2.276.0';
const CONSTRUCTS_VERSION = '10.5.1';
const CDK_NAG_VERSION = '3.0.2';
/** The aws-cdk CLI is versioned separately from aws-cdk-lib; 2.1148+ reads 2.276 assemblies. */
const CDK_CLI_VERSION = '2.1148.1';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-access-patterns',
  description:
    'Secure-by-default AWS CDK constructs for every way into AWS without long-lived keys: ' +
    'cross-account and third-party roles, CI/CD OIDC federation, EKS IRSA and Pod Identity, ' +
    'IAM Roles Anywhere, IAM Identity Center, SAML and Cognito, plus a cdk-nag pack for trust policies.',
  author: 'cdk-access-patterns maintainers',
  authorAddress: 'maintainers@cdk-access-patterns.dev',
  repositoryUrl: 'https://github.com/cdk-access-patterns/cdk-access-patterns.git',
  keywords: ['cdk', 'awscdk', 'iam', 'sts', 'oidc', 'irsa', 'pod-identity', 'roles-anywhere', 'identity-center', 'cdk-nag', 'security'],
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  minNodeVersion: '20.0.0',

  cdkVersion: CDK_VERSION,
  constructsVersion: CONSTRUCTS_VERSION,
  jsiiVersion: '~6.0.16',
  typescriptVersion: '~5.9.3',

  // cdk-nag 3 is a peer: the user's app registers it; our pack extends its NagPack.
  peerDeps: [`cdk-nag@^${CDK_NAG_VERSION}`],
  // Parses certificate revocation lists at synthesis (RFC 5280 schemas); bundled, as jsii
  // requires for non-jsii runtime dependencies. Certificates are parsed with node:crypto.
  bundledDeps: ['@peculiar/asn1-x509@^2.11.1', '@peculiar/asn1-schema@^2.11.1'],
  devDeps: [
    '@jsii/spec',
    '@mrgrain/jsii-struct-builder@^0.7.64',
    // AGPL: used by the test suite only, never shipped.
    '@cloud-copilot/iam-simulate@0.1.173',
    `aws-cdk@${CDK_CLI_VERSION}`,
    // CloudFormation Guard (Control Tower proactive rules) over the example apps; ships its binary.
    '@cdklabs/cdk-validator-cfnguard@0.0.62',
    'tsconfig-paths@^4.2.0',
    // Generates throw-away X.509 certificates and CRLs in tests (never committed keys).
    '@peculiar/x509@^2.2.0',
    // The Reflect metadata API that @peculiar/x509 (through tsyringe) needs.
    'reflect-metadata@^0.2.2',
    // The library users migrate from; the migration test synthesizes it side by side.
    'aws-cdk-github-oidc@2.4.1',
    // The aws-config command's tests read its output back with an INI parser.
    'ini@7.0.0',
    '@types/ini@4.1.1',
    // Checks the access map's Mermaid diagrams with Mermaid's own parser (in a DOM from jsdom).
    'mermaid@11.17.2',
    'jsdom@29.1.1',
  ],

  // jsii targets: configured for publishing; only the JavaScript package is built here.
  publishToPypi: {
    distName: 'cdk-access-patterns',
    module: 'cdk_access_patterns',
  },
  publishToMaven: {
    javaPackage: 'io.github.cdkaccesspatterns',
    mavenGroupId: 'io.github.cdk-access-patterns',
    mavenArtifactId: 'cdk-access-patterns',
  },
  publishToNuget: {
    dotNetNamespace: 'CdkAccessPatterns',
    packageId: 'CdkAccessPatterns',
  },
  publishToGo: {
    moduleName: 'github.com/cdk-access-patterns/cdk-access-patterns-go',
  },

  // Release automation runs outside this repository's CI; keep the tree free of
  // workflows that are never exercised here.
  github: false,
  release: false,

  docgen: true,
  docgenFilePath: 'API.md',

  typecheckTests: true,
  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      snapshotSerializers: ['<rootDir>/test/support/snapshot-serializer.ts'],
      // Deprecated aws-cdk-lib APIs fail the tests; the built-in CloudFormation validation runs in the examples test only (see the file).
      setupFiles: ['<rootDir>/test/support/setup.ts'],
      collectCoverage: false,
      testTimeout: 60_000,
    },
  },
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'examples', 'bench', 'projenrc', '.projenrc.ts'],
    commandOptions: { fix: false },
  },
  tsconfigDev: {
    compilerOptions: {
      // Examples import the package by name, exactly as users do.
      baseUrl: '..',
      paths: { 'cdk-access-patterns': ['src/index.ts'] },
    },
    include: ['../examples/**/*.ts', '../bench/**/*.ts'],
  },

  gitignore: ['/cdk.out', '/.cdk-examples', '*.tgz'],
});

// CI installs with npm install and fails when that changes package-lock.json (.ci/run): the
// committed lock is the one npm writes, with every platform's optional packages, so that
// `npm ci` works on macOS and Windows, and a lock that lacks some is caught.
project.tasks.tryFind('install:ci')?.reset('npm install');

// The compiled barrels load each pattern's modules on first use, as aws-cdk-lib's indexes
// do: an app pays only for the patterns it uses. The script checks the exports are unchanged.
project.postCompileTask.prependExec('node scripts/lazy-barrels.js lib');

// `npx projen build` outside CI packages every jsii target (package-all): the JavaScript
// package always, each other target only where its toolchain is installed and its registry
// answers; scripts/jsii-toolchain.js says how to build a skipped one (JSII_TARGETS overrides).
const packageAll = project.tasks.tryFind('package-all');
if (packageAll) {
  packageAll.reset();
  packageAll.spawn(project.tasks.tryFind('package:js')!);
  for (const target of ['java', 'python', 'dotnet', 'go']) {
    packageAll.spawn(project.tasks.tryFind(`package:${target}`)!, { condition: `node scripts/jsii-toolchain.js ${target}` });
  }
}

// The access map command: `npx cdk-access-patterns map [cdk.out]`.
project.addBins({ 'cdk-access-patterns': 'lib/access-map/cli.js' });

// The README's main job: synthesize every example app with the real CDK CLI, with
// AwsSolutions and this library's nag pack registered by the apps themselves.
project.addTask('examples', {
  description: 'Synthesize every app in examples/ with cdk synth (cdk-nag checks included)',
  exec: 'bash scripts/synth-examples.sh',
  receiveArgs: true,
});

// Benchmarks print ratios; they are not part of the test suite.
project.addTask('bench', {
  description: 'Run the overhead and scale benchmarks in bench/',
  exec: 'node --expose-gc -r ts-node/register/transpile-only bench/run.ts',
  env: { TS_NODE_PROJECT: 'test/tsconfig.json' },
  receiveArgs: true,
});

// The shared role props: iam.RoleProps without the principal, which each pattern builds.
new ProjenStruct(project, {
  name: 'PatternRoleProps',
  filePath: 'src/core/pattern-role-props.generated.ts',
  docs: {
    summary: 'Properties shared by every role an access pattern creates.',
    remarks:
      'The same as `aws_iam.RoleProps` without `assumedBy`, `externalId` and `externalIds`: ' +
      'each pattern builds its own trust policy from its domain props.',
  },
})
  .mixin(Struct.fromFqn('aws-cdk-lib.aws_iam.RoleProps'))
  .omit('assumedBy', 'externalId', 'externalIds')
  .add({
    name: 'allowLongSessions',
    type: { primitive: 'boolean' as PrimitiveType.Boolean },
    optional: true,
    docs: {
      summary: 'Allow `maxSessionDuration` above one hour.',
      remarks:
        'Sessions longer than one hour keep leaked credentials usable for longer; ' +
        'this flag makes that choice explicit and leaves a warning.',
      default: 'false',
    },
  })
  .add({
    name: 'maxTrustPolicySize',
    type: { primitive: 'number' as PrimitiveType.Number },
    optional: true,
    docs: {
      summary: 'The largest trust policy, in characters without whitespace, that synthesis accepts.',
      remarks:
        'IAM limits a role trust policy to 2,048 characters unless the account\'s "Role trust policy length" ' +
        'quota was raised; the documented maximum of that quota is 8,192 ("IAM and AWS STS quotas", ' +
        'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html), and a larger value is ' +
        'refused. Above 2,048 synthesis leaves a warning; above this value it fails. Values only known at ' +
        'deploy time count at the longest length of their kind.',
      default: '4096',
      see: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html',
    },
  });

// Examples and benchmarks get tsconfig files of their own (extending the test project, which
// maps the package name to src/), so that eslint's project service finds a real project for
// them instead of its default project, which allows only a handful of files.
for (const dir of ['examples', 'bench']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: { extends: '../test/tsconfig.json', include: ['*.ts'] },
  });
}
// Examples resolve the package name through the dev tsconfig's paths.
project.eslint?.addOverride({
  files: ['examples/**/*.ts'],
  settings: {
    'import/resolver': { node: {}, typescript: { project: './test/tsconfig.json', alwaysTryTypes: true } },
  },
} as any);

// Jest must not pick up compiled output or the examples' cdk.out.
project.jest?.addIgnorePattern('/cdk.out/');
project.jest?.addIgnorePattern('/.cdk-examples/');

// Keep the published package to the library itself.
project.addPackageIgnore('/examples');
project.addPackageIgnore('/bench');
project.addPackageIgnore('/scripts');
project.addPackageIgnore('/.ci');
// The package ships its TypeScript sources: the inline source maps of lib/ name them, so
// stack traces point at files that ship. Build output of the examples never ships.
project.addPackageIgnore('!/src/');
project.addPackageIgnore('/cdk.out');
project.addPackageIgnore('/.cdk-examples');

project.synth();
