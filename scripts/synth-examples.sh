#!/usr/bin/env bash
# The main job: synthesizes every app in examples/ with the real CDK CLI. The apps register
# the AwsSolutions and AccessPatterns checks, so any unacknowledged finding fails synthesis.
# It ends by writing the examples' access map (who can assume which role) next to them.
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
synthesized=()
for app in "${apps[@]}"; do
  name=$(basename "$app" .ts)
  out="$out_root/$name"
  rm -rf "$out"
  echo "== cdk synth $app"
  if npx --no-install cdk synth --no-notices --quiet --no-version-reporting \
      --app "npx --no-install ts-node --transpile-only -r tsconfig-paths/register $app" \
      --output "$out"; then
    for t in "$out"/*.template.json; do echo "   $t"; done
    synthesized+=("$out")
  else
    echo "!! $app failed to synthesize" >&2
    failed=$((failed + 1))
  fi
done

echo
echo "Synthesized ${#apps[@]} example app(s), $failed failed. Templates: $out_root/<example>/<Stack>.template.json"

if [ "${#synthesized[@]}" -gt 0 ]; then
  # The access map of what was synthesized, with the package's own command (from source).
  map=(node -r ts-node/register/transpile-only src/access-map/cli.ts map "${synthesized[@]}")
  "${map[@]}" --out "$out_root/access-map.md"
  "${map[@]}" --format json --out "$out_root/access-map.json"
  echo "Access map of ${#synthesized[@]} example app(s): $out_root/access-map.md (and .json)"
fi
exit "$failed"
