import { existsSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { join, parse } from 'path';
import { DockerImage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * The directory of the rotation function: `rotation-function/` next to this folder's
 * modules, holding only the handler's files. In the npm package (`lib/`) jsii compiled it to
 * JavaScript, which is the asset (declarations left out). Run from source (the tests, the
 * examples through ts-node) it holds TypeScript, which is transpiled into the asset at
 * synthesis with the TypeScript compiler of the development install.
 */
const DIR = join(__dirname, '..', 'rotation-function');

/** The code of the access key rotation function; handler `index.handler`. */
export function rotationFunctionCode(): lambda.Code {
  if (existsSync(join(DIR, 'index.js'))) {
    return lambda.Code.fromAsset(DIR, { exclude: ['*.ts', '*.map'] });
  }
  return lambda.Code.fromAsset(DIR, {
    bundling: {
      // Never pulled: local bundling always succeeds or throws.
      image: DockerImage.fromRegistry('public.ecr.aws/lambda/nodejs:22'),
      local: { tryBundle: outputDir => transpileInto(outputDir) },
    },
  });
}

function transpileInto(outputDir: string): boolean {
  // The TypeScript compiler of the development install (only reached when run from source).
  // eslint-disable-next-line @typescript-eslint/no-require-imports, import/no-extraneous-dependencies
  const ts = require('typescript') as typeof import('typescript');
  for (const file of readdirSync(DIR).filter(f => f.endsWith('.ts') && !f.endsWith('.d.ts'))) {
    const output = ts.transpileModule(readFileSync(join(DIR, file), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      fileName: file,
    });
    writeFileSync(join(outputDir, `${parse(file).name}.js`), output.outputText);
  }
  return true;
}

/**
 * The newest Node.js runtime aws-cdk-lib knows (what AwsSolutions-L1 asks for). The
 * function loads the AWS SDK for JavaScript v3 that these runtimes ship.
 */
export function latestNodeRuntime(): lambda.Runtime {
  const node = lambda.Runtime.ALL
    .filter(r => r.family === lambda.RuntimeFamily.NODEJS && /^nodejs\d+\.x$/.test(r.name))
    .sort((a, b) => parseInt(a.name.slice(6), 10) - parseInt(b.name.slice(6), 10));
  return node[node.length - 1] ?? lambda.Runtime.NODEJS_LATEST;
}
