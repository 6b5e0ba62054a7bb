#!/usr/bin/env bash
# Installs what the end-to-end suite (test/e2e) needs, idempotently:
#   - Debian packages: chromium (the browser Playwright drives), ripgrep (VS Code search),
#     fonts-dejavu-core (readable screenshots), libkrb5-dev (code-server's kerberos module),
#     neovim (the second LSP client);
#   - code-server 4.100.3 (VS Code 1.100.3 served to a browser) into .e2e/code-server, built the
#     way /work/shared/vscode-e2e.md describes. It is not a devDependency because its native
#     modules must be rebuilt against this machine's Node.
# A second run only checks and returns in about a second. Override the folder with
# LEDGERLINT_E2E_DIR (it must match what test/e2e/prerequisites.ts looks for).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
e2e_dir=${LEDGERLINT_E2E_DIR:-$root/.e2e}
version=4.100.3
cs_parent=$e2e_dir/code-server
cs=$cs_parent/node_modules/code-server
marker=$cs_parent/.ready-$version-node$(node -p 'process.versions.modules')
started=$SECONDS

say() { echo "e2e-setup: $*"; }
fail() { echo "e2e-setup: FAILED: $*" >&2; exit 1; }
step() { # step "what" command...: runs a step, and on failure names it and shows its log tail
  local what=$1; shift
  local log=$cs_parent/setup.log
  local t0=$SECONDS
  if ! "$@" >>"$log" 2>&1; then
    tail -n 30 "$log" >&2
    fail "$what (full log: $log)"
  fi
  say "$what: $((SECONDS - t0)) s"
}

node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" = 20 ] || fail "code-server $version (VS Code 1.100) needs Node 20, this is Node $(node --version)"

# --- Debian packages -------------------------------------------------------------------------
apt_packages=(chromium ripgrep fonts-dejavu-core libkrb5-dev neovim)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || fail "need root (or sudo) to apt-get install ${missing[*]}"
    sudo=(sudo)
  fi
  say "apt-get install ${missing[*]}"
  "${sudo[@]}" apt-get update -qq || fail "apt-get update failed (is the Debian mirror reachable?)"
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    || fail "apt-get install ${missing[*]} failed"
fi
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing after installing the chromium package"
[ -x /usr/bin/rg ] || fail "/usr/bin/rg is missing after installing the ripgrep package"

# --- code-server -----------------------------------------------------------------------------
if [ -f "$marker" ] && [ -f "$cs/out/node/entry.js" ]; then
  say "code-server $version already installed in $cs ($((SECONDS - started)) s)"
  exit 0
fi
say "installing code-server $version into $cs_parent (1.5-10 minutes, depending on the npm cache and the machine)"
rm -rf "$cs_parent"
mkdir -p "$cs_parent"
echo '{ "name": "ledgerlint-e2e-tools", "private": true }' >"$cs_parent/package.json"
: >"$cs_parent/setup.log"
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
# Native modules build against the Node headers Debian ships with node, not a download.
export npm_config_nodedir=/usr npm_config_yes=true

cd "$cs_parent"
step "npm install code-server@$version (scripts off)" npm install --ignore-scripts --no-save "code-server@$version"
# argon2's prebuilt binary is a download from GitHub, which fails here; it builds from source.
step "npm rebuild argon2" npm rebuild argon2

cd "$cs/lib/vscode"
step "npm install VS Code's server dependencies" npm install --omit=dev --ignore-scripts
# @vscode/ripgrep's postinstall downloads rg from GitHub; Debian's rg does the same job.
mkdir -p node_modules/@vscode/ripgrep/bin
ln -sf /usr/bin/rg node_modules/@vscode/ripgrep/bin/rg
step "npm rebuild VS Code's native modules" \
  npm rebuild kerberos @parcel/watcher @vscode/spdlog native-watchdog node-pty @vscode/deviceid

# code-server's own postinstall, done by hand because its scripts were skipped.
ln -sfn node_modules node_modules.asar
ln -sf code-linux.sh "$cs/lib/vscode/bin/remote-cli/code-server"
ln -sf browser-linux.sh "$cs/lib/vscode/bin/helpers/browser.sh"
cd "$cs/lib/vscode/extensions"
step "npm install VS Code's built-in extension dependencies" npm install --omit=dev

cd "$root"
# Proves the install: the server must start and answer /healthz.
step "smoke test: code-server --version" node "$cs/out/node/entry.js" --version
touch "$marker"
say "done in $((SECONDS - started)) s"
