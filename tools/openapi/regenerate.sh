#!/usr/bin/env bash
# Regenerate the GitHub OpenAPI subset used by the conformance tests
# (internal/conformance/api.github.com.releases.json).
#
#   tools/openapi/regenerate.sh            # rewrite the committed subset
#   tools/openapi/regenerate.sh OUT.json   # write it elsewhere
#
# Installs a pinned @octokit/openapi from the npm registry into a temp dir
# (the only network access), checks its integrity against the hash pinned
# here, and runs subset.go (standard library only; no module downloads) on
# generated/api.github.com.json.
#
# To bump: run `npm view @octokit/openapi version dist.integrity`, put both
# values below, rerun, and review the diff of the output (regenerate with
# SUBSET_FLAGS=-indent for a readable diff).
set -euo pipefail

# Newest version the npm registry served when this was pinned (dist-tag latest).
OCTOKIT_OPENAPI_VERSION="23.0.2"
OCTOKIT_OPENAPI_INTEGRITY="sha512-pV8M7L9GY23AybNvTmo2nyjmpmnt6+2sRE/tqr0ZLQcPS4lnw7u5eZGNmwRNkBC3D7gZXbFx5AHzLUVRBXGDhg=="
# Which description inside the package: api.github.com.json (github.com),
# ghec.json, ghes-3.17.json ... Not the *.deref.json files: they inline every
# $ref (73 MB) and have no components.
SPEC_FILE="${SPEC_FILE:-api.github.com.json}"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [[ $# -gt 1 ]]; then
  echo "usage: $0 [OUTPUT.json]" >&2
  exit 2
fi

out="${1:-$here/../../internal/conformance/api.github.com.releases.json}"
case "$out" in
  /*) ;;
  *) out="$PWD/$out" ;;
esac
tmp="$(mktemp -d "${TMPDIR:-/tmp}/octokit-openapi.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

echo "installing @octokit/openapi@${OCTOKIT_OPENAPI_VERSION} into $tmp" >&2
(
  cd "$tmp"
  printf '{"name":"octokit-openapi-fetch","private":true}\n' > package.json
  npm install --no-audit --no-fund --ignore-scripts --prefer-offline \
    --loglevel=error --save-exact \
    "@octokit/openapi@${OCTOKIT_OPENAPI_VERSION}" >&2
)

pkgdir="$tmp/node_modules/@octokit/openapi"
got_version="$(node -p 'require(process.argv[1]).version' "$pkgdir/package.json")"
got_integrity="$(node -p 'require(process.argv[1]).packages["node_modules/@octokit/openapi"].integrity' "$tmp/package-lock.json")"
if [[ "$got_version" != "$OCTOKIT_OPENAPI_VERSION" ]]; then
  echo "installed version $got_version, want $OCTOKIT_OPENAPI_VERSION" >&2
  exit 1
fi
if [[ "$got_integrity" != "$OCTOKIT_OPENAPI_INTEGRITY" ]]; then
  echo "integrity mismatch for @octokit/openapi@$got_version:" >&2
  echo "  got  $got_integrity" >&2
  echo "  want $OCTOKIT_OPENAPI_INTEGRITY" >&2
  exit 1
fi

spec="$pkgdir/generated/$SPEC_FILE"
[[ -f "$spec" ]] || { echo "no $spec in the package" >&2; ls "$pkgdir/generated" >&2; exit 1; }

# Run outside any module so a surrounding go.mod (toolchain line, vendor dir,
# GOFLAGS) cannot trigger downloads; subset.go uses the standard library only.
(
  cd "$tmp"
  GOTOOLCHAIN=local GOFLAGS= GO111MODULE=on GOPROXY=off \
    go run "$here/subset.go" \
      -in "$spec" \
      -out "$out.tmp" \
      -pkg "@octokit/openapi" \
      -pkg-version "$got_version" \
      -source-file "generated/$SPEC_FILE" \
      ${SUBSET_FLAGS:-}
)
mv "$out.tmp" "$out"
echo "wrote $out ($(wc -c < "$out") bytes) from @octokit/openapi@$got_version generated/$SPEC_FILE" >&2
