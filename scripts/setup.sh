#!/usr/bin/env bash
# Installs everything OpenCLS needs on a fresh Debian machine; safe to run again.
# Sourced by scripts/demo and scripts/test.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# System libraries: WeasyPrint (PDF) needs Pango; browser tests need Debian's chromium.
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
[ "${OPENCLS_SKIP_BROWSER:-0}" = 1 ] || packages+=(chromium)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "» Installation des paquets système : ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Python dependencies, pinned by uv.lock, in .venv.
if ! command -v uv >/dev/null 2>&1; then
  echo "» Installation de uv"
  python3 -m pip install --quiet uv
fi
uv sync --frozen --quiet

# Official data from the npm registry (COG: communes, EPCI, départements, régions), pinned by
# package-lock.json.
command -v npm >/dev/null 2>&1 || { as_root apt-get update -qq; DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq nodejs npm >/dev/null; }
npm_version() { python3 -c "import json,sys; print(json.load(open(sys.argv[1])).get('version', ''))" "$1" 2>/dev/null || true; }
wanted=$(python3 -c "import json; print(json.load(open('package-lock.json'))['packages']['node_modules/@etalab/decoupage-administratif']['version'])")
if [ "$(npm_version node_modules/@etalab/decoupage-administratif/package.json)" != "$wanted" ]; then
  echo "» Installation des données officielles (npm)"
  npm ci --no-audit --no-fund --silent
fi
