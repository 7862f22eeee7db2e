#!/usr/bin/env bash
# Refreshes the dashboard's vendored chart library from npm (the version pinned in package.json / package-lock.json).
# Run after changing the version; commit the result. The build itself never needs npm or the network.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --ignore-scripts
dest=../../src/Nonlinear.Dashboard/wwwroot/vendor
mkdir -p "$dest"
cp node_modules/chart.js/dist/chart.umd.js "$dest/chart.umd.js"
cp node_modules/chart.js/LICENSE.md "$dest/chart.js.LICENSE.md"
echo "chart.js $(node -p "require('./node_modules/chart.js/package.json').version")" > "$dest/VERSIONS.txt"
rm -rf node_modules
