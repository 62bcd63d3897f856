#!/usr/bin/env node
// The condition of each non-JavaScript step of `npx projen package-all` (which `npx projen
// build` runs outside CI): exits 0 when the tools jsii-pacmak needs for the target are on the
// PATH and the registry it downloads from answers, so the step runs; otherwise prints what is
// missing and how to build that target, and exits 1, so projen skips the step and the build
// goes on with the JavaScript package.
//
// JSII_TARGETS=java,python (any of java, python, dotnet, go) decides instead of the checks,
// e.g. behind a registry mirror the probe does not know; JSII_TARGETS=none skips them all.
//
// Usage: node scripts/jsii-toolchain.js <java|python|dotnet|go>
'use strict';
const { spawnSync } = require('node:child_process');
const https = require('node:https');

/** What jsii-pacmak runs for each target, and where it downloads from. */
const TARGETS = {
  java: {
    tools: [['java', '-version'], ['mvn', '-v']],
    needs: 'a JDK (java) and Maven (mvn); Maven downloads the jsii runtime and aws-cdk-lib for Java from Maven Central',
    registry: 'https://repo.maven.apache.org/maven2/',
  },
  python: {
    tools: [['python3', '--version'], ['python3', '-m', 'venv', '--help'], ['python3', '-m', 'pip', '--version']],
    needs: 'Python 3 with venv and pip; pip installs setuptools, build and twine from PyPI',
    registry: 'https://pypi.org/simple/',
  },
  dotnet: {
    tools: [['dotnet', '--version']],
    needs: 'the .NET SDK (dotnet); it restores Amazon.JSII.Runtime and Amazon.CDK.Lib from NuGet',
    registry: 'https://api.nuget.org/v3/index.json',
  },
  go: {
    tools: [['go', 'version']],
    needs: 'Go (go); it downloads the jsii runtime and aws-cdk-go modules from the Go module proxy',
    registry: 'https://proxy.golang.org/',
  },
};

const target = process.argv[2];
const spec = TARGETS[target];
if (!spec) {
  console.error(`usage: node scripts/jsii-toolchain.js <${Object.keys(TARGETS).join('|')}>`);
  process.exit(2);
}
/** Whether `url` answers at all within five seconds. */
function reachable(url) {
  return new Promise(resolve => {
    const req = https.request(url, { method: 'HEAD', timeout: 5000 }, res => { res.resume(); resolve(true); });
    req.on('timeout', () => { req.destroy(); resolve(false); });
    req.on('error', () => resolve(false));
    req.end();
  });
}

function skip(why) {
  console.log(`package:${target} skipped: ${why}. It needs ${spec.needs}. `
    + `With those, run \`npx projen package:${target}\` (after \`npx projen compile\`); the release pipeline builds every target.`);
  process.exit(1);
}

async function main() {
  const chosen = process.env.JSII_TARGETS;
  if (chosen !== undefined && chosen !== '') {
    if (chosen.split(',').map(t => t.trim()).includes(target)) process.exit(0);
    skip(`JSII_TARGETS=${chosen} does not name it`);
  }
  const missing = spec.tools.filter(([cmd, ...args]) => spawnSync(cmd, args, { stdio: 'ignore' }).status !== 0).map(t => t.join(' '));
  if (missing.length > 0) skip(`\`${missing.join('`, `')}\` did not run`);
  if (!(await reachable(spec.registry))) skip(`${spec.registry} did not answer (set JSII_TARGETS=${target} to build it through a mirror)`);
  process.exit(0);
}

main();
