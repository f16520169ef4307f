# shellcheck shell=bash
# Browser tests of the dashboard: headless Chromium (Debian's `chromium` package, never a
# downloaded browser) driven by playwright-core from npm, with node's own test runner.
# Sourced by .ci/run after the cargo tests (`source .ci/browser.sh`); it can also be run alone
# (`bash .ci/browser.sh`).
#
# 1. Installs Debian's chromium (and node/npm when missing).
# 2. Installs the npm packages pinned in web/package-lock.json (`npm ci`).
# 3. Builds the `outpost` binary.
# 4. Runs web/tests/*.test.mjs: each run ingests the demo corpus (plus a hostile article) into
#    a temporary database, starts `outpost serve` on a free loopback port, drives the
#    dashboard and writes screenshots to artifacts/browser/ (git-ignored).
# Everything is in functions that `return`, never `exit`, so a sourcing script keeps its own
# `set -euo pipefail`.

_outpost_browser_log() { printf 'browser.sh: %s\n' "$*" >&2; }

_outpost_browser_install() {
  local missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  if [ "${#missing[@]}" -gt 0 ]; then
    _outpost_browser_log "installing ${missing[*]}"
    if [ "$(id -u)" != 0 ]; then
      _outpost_browser_log "not root: cannot apt-get install ${missing[*]}"
      return 1
    fi
    apt-get update -qq >/dev/null || return 1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null || return 1
  fi
  chromium --version || return 1
  node --version || return 1
}

_outpost_browser_run() {
  local root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  _outpost_browser_install || return 1
  (cd "$root/web" && npm ci --no-audit --no-fund --loglevel=error) || return 1
  (cd "$root" && cargo build --locked --bin outpost) || return 1
  mkdir -p "$root/artifacts/browser"
  (cd "$root/web" && OUTPOST_BIN="$root/target/debug/outpost" \
    OUTPOST_ARTIFACTS="$root/artifacts/browser" CHROMIUM=/usr/bin/chromium \
    node --test tests/dashboard.test.mjs) || return 1
  _outpost_browser_log "screenshots in $root/artifacts/browser/"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  _outpost_browser_run || exit 1
else
  _outpost_browser_run || return 1
fi
