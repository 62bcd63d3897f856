#!/usr/bin/env bash
# The consumer test: the package exactly as published (the tarball `npx projen package:js`
# writes to dist/js), installed in a fresh app made by `cdk init app --language typescript`,
# with that app's cdk.json feature flags as generated, and `cdk synth` of an app that uses
# every pattern the README shows (scripts/consumer/app.ts) with AwsSolutions and
# AccessPatternsChecks registered. It runs twice: with the newest aws-cdk-lib the registry
# serves (and the newest cdk-nag and constructs), and with the oldest versions the package's
# peer dependencies accept. Any unacknowledged finding, and any deprecation warning
# (a deprecated aws-cdk-lib API called), fails the run.
#
# Usage: bash scripts/consumer-test.sh [newest|floor ...]   (default: both)
# Env:   CONSUMER_TEST_KEEP=1 keeps the apps (their paths are printed).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

export CDK_DISABLE_CLI_TELEMETRY=true
# One npm cache for every install (npm's own default unless the caller set one): both apps
# and every later run share what was downloaded once.
export npm_config_cache="${npm_config_cache:-$(npm config get cache)}"

runs=("$@")
[ "${#runs[@]}" -gt 0 ] || runs=(newest floor)

shopt -s nullglob
tarballs=(dist/js/*.tgz)
if [ "${#tarballs[@]}" -eq 0 ]; then
  echo "== no dist/js/*.tgz: building the JavaScript package (npx projen compile, post-compile, package:js)"
  npx projen compile
  npx projen post-compile
  npx projen package:js
  tarballs=(dist/js/*.tgz)
fi
[ "${#tarballs[@]}" -eq 1 ] || { echo "expected one tarball in dist/js, found: ${tarballs[*]}" >&2; exit 1; }
tarball="$root/${tarballs[0]}"

# The peer dependency floors, as the package declares them (^x.y.z -> x.y.z).
peer() { node -p "require('./package.json').peerDependencies['$1'].replace(/^[~^]/, '')"; }
floor_cdk=$(peer aws-cdk-lib)
floor_constructs=$(peer constructs)
floor_nag=$(peer cdk-nag)
newest_cdk=$(npm view aws-cdk-lib version)

work=$(mktemp -d "${TMPDIR:-/tmp}/consumer-test.XXXXXX")
# Two apps hold about 700 MB of node_modules; they are deleted in the background, which
# would otherwise take a minute or more of a loaded CI machine's time.
if [ -z "${CONSUMER_TEST_KEEP:-}" ]; then trap '(rm -rf "$work" >/dev/null 2>&1 &)' EXIT; fi

# `cdk init` once, with the CLI the project pins (it works offline: the template ships with
# the CLI; --generate-only skips its git init and npm install, done below per version).
mkdir "$work/app"
(cd "$work/app" && "$root/node_modules/.bin/cdk" init app --language typescript --generate-only >/dev/null 2>&1)
cp "$root/scripts/consumer/app.ts" "$work/app/bin/app.ts"

# One app per run, installed and synthesized side by side (npm's cache is safe to share).
consume() {
  local run=$1 dir="$work/$1" deps
  case "$run" in
    newest) deps=("aws-cdk-lib@$newest_cdk" "constructs@^$floor_constructs" "cdk-nag@^$floor_nag") ;;
    floor) deps=("aws-cdk-lib@$floor_cdk" "constructs@$floor_constructs" "cdk-nag@$floor_nag") ;;
    *) echo "unknown run '$run' (newest or floor)"; return 2 ;;
  esac
  cp -r "$work/app" "$dir"
  echo "== $run: ${deps[*]} + $(basename "$tarball")"
  local t0=$SECONDS
  # One install per app: the template's own dependencies plus the package and its peers.
  (cd "$dir" && npm install --no-audit --no-fund --loglevel=error --save-exact "${deps[@]}" "$tarball" >/dev/null) || return 1
  (cd "$dir" && node -e '
    for (const p of ["aws-cdk-lib", "constructs", "cdk-nag", "cdk-access-patterns", "aws-cdk", "typescript"]) {
      process.stdout.write(`   ${p}@${require(require.resolve(p + "/package.json", { paths: [process.cwd()] })).version}\n`);
    }')
  echo "   npm install: $((SECONDS - t0))s"
  t0=$SECONDS
  # cdk.json's app command as cdk init wrote it (tsc type-checks the app, tsx runs it).
  if (cd "$dir" && npx --no-install cdk synth --no-notices --quiet --no-version-reporting >"$dir/synth.log" 2>&1); then
    # A deprecated aws-cdk-lib API called while synthesizing prints a jsii warning users would see.
    if grep -q "is deprecated, and will be removed" "$dir/synth.log"; then
      echo "!! $run: cdk synth printed deprecation warnings:"
      grep -A1 "is deprecated, and will be removed" "$dir/synth.log"
      return 1
    fi
    echo "   cdk synth: ok in $((SECONDS - t0))s ($(ls "$dir"/cdk.out/*.template.json | wc -l) templates, no unacknowledged findings, no deprecation warnings)"
  else
    echo "!! $run: cdk synth failed:"
    cat "$dir/synth.log"
    return 1
  fi
}

for run in "${runs[@]}"; do consume "$run" >"$work/$run.out" 2>&1 & done
failed=0
for run in "${runs[@]}"; do wait -n || failed=$((failed + 1)); done
for run in "${runs[@]}"; do cat "$work/$run.out"; done
echo "consumer test: ${#runs[@]} run(s), $failed failed, ${SECONDS}s"

[ -n "${CONSUMER_TEST_KEEP:-}" ] && echo "apps kept in $work"
exit "$failed"
