#!/usr/bin/env bash
# The main job: synthesizes every app in examples/ with the real CDK CLI. The apps register
# the AwsSolutions and AccessPatterns checks, so any unacknowledged finding fails synthesis.
# Usage: npm run examples [-- name ...]   (default: every examples/*.ts)
set -euo pipefail
cd "$(dirname "$0")/.."

export CDK_DISABLE_CLI_TELEMETRY=true
export TS_NODE_PROJECT=test/tsconfig.json
out_root=cdk.out/examples

if [ "$#" -gt 0 ]; then
  apps=()
  for name in "$@"; do apps+=("examples/${name%.ts}.ts"); done
else
  apps=(examples/*.ts)
fi

failed=0
for app in "${apps[@]}"; do
  name=$(basename "$app" .ts)
  out="$out_root/$name"
  rm -rf "$out"
  echo "== cdk synth $app"
  if npx --no-install cdk synth --no-notices --quiet --no-version-reporting \
      --app "npx --no-install ts-node --transpile-only -r tsconfig-paths/register $app" \
      --output "$out"; then
    for t in "$out"/*.template.json; do echo "   $t"; done
  else
    echo "!! $app failed to synthesize" >&2
    failed=$((failed + 1))
  fi
done

echo
echo "Synthesized ${#apps[@]} example app(s), $failed failed. Templates: $out_root/<example>/<Stack>.template.json"
exit "$failed"
