#!/usr/bin/env bash
# Installs a local code-server (a full VS Code in the browser, from the npm registry) into .tools/, for
# the end-to-end tests and `npm start`. Idempotent: a finished install is reused. Needs Debian's chromium,
# ripgrep and libkrb5-dev (installed here with apt-get when missing and running as root).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/.tools"
version="4.100.3"
marker="$tools/.code-server-$version-ready"
[ -f "$marker" ] && exit 0

need=()
command -v chromium >/dev/null || need+=(chromium)
command -v rg >/dev/null || need+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup-code-server: please install the Debian packages: ${need[*]}" >&2
    exit 1
  fi
  echo "setup-code-server: apt-get install ${need[*]}" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

mkdir -p "$tools"
cd "$tools"
[ -f package.json ] || echo '{ "name": "il-notebooks-tools", "private": true }' > package.json
echo "setup-code-server: installing code-server $version (a few minutes, once)" >&2
# code-server's post-install script downloads ripgrep from the internet; the steps below replace it.
npm install --no-audit --no-fund --ignore-scripts "code-server@$version" >/dev/null
vscode="$tools/node_modules/code-server/lib/vscode"
(cd "$vscode" && npm install --no-audit --no-fund --omit=dev --ignore-scripts >/dev/null)
mkdir -p "$vscode/node_modules/@vscode/ripgrep/bin"
cp "$(command -v rg)" "$vscode/node_modules/@vscode/ripgrep/bin/rg"
(cd "$vscode" && npm_config_yes=true npm rebuild kerberos node-pty @vscode/spdlog @parcel/watcher native-watchdog @vscode/deviceid >/dev/null)
[ -e "$vscode/node_modules.asar" ] || ln -s node_modules "$vscode/node_modules.asar"
(cd "$vscode/extensions" && npm install --no-audit --no-fund --omit=dev --ignore-scripts >/dev/null)
npm_config_build_from_source=true npm rebuild argon2 >/dev/null
touch "$marker"
echo "setup-code-server: ready in $tools" >&2
