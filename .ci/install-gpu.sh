#!/usr/bin/env bash
# Installs what test/gpu-*.test.ts need on a fresh Debian 12 machine, then checks that each piece works.
# Idempotent (installed pieces are detected and skipped); every step is timed.
#
#   .ci/install-gpu.sh            # apt: chromium libvulkan1 (SwiftShader's Vulkan ICD comes with chromium-common)
#   .ci/install-gpu.sh --minimal  # apt: chromium-common libvulkan1 only (the ICD, without the browser's libraries)
#   .ci/install-gpu.sh --test     # then run the gpu tests with VK_ICD_FILENAMES set
#
# npm: gpu.js 2.24.1 and webgpu 0.6.2 are optionalDependencies, so `npm ci` normally brought them; if not
# (e.g. `npm ci --omit=optional`), they are installed here without touching package.json.
# headless-gl (`gl`, gpu.js's optional native dependency) is not attempted: package.json overrides it with a
# stub (src/backends/gpu/no-gl), because its prebuilt binary comes from github.com and a source build needs X11/GL headers
# and compiles ANGLE; mode "headlessgl" reports itself unavailable.
set -euo pipefail
cd "$(dirname "$0")/.."
ICD=/usr/lib/chromium/vk_swiftshader_icd.json
minimal=0; run_tests=0
for a in "$@"; do case "$a" in --minimal) minimal=1 ;; --test) run_tests=1 ;; *) echo "unknown option $a" >&2; exit 2 ;; esac; done
step() { echo "== $1"; t_step=$SECONDS; }
done_step() { echo "   ($((SECONDS - t_step)) s)"; }
t_all=$SECONDS

step "apt: SwiftShader Vulkan ICD + Vulkan loader"
if [ "$minimal" = 1 ]; then pkgs=(chromium-common libvulkan1); else pkgs=(chromium libvulkan1); fi
missing=()
for p in "${pkgs[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "   installed ${missing[*]}"
else
  echo "   already installed: ${pkgs[*]}"
fi
[ -f "$ICD" ] || { echo "error: $ICD is missing after installing ${pkgs[*]}" >&2; exit 1; }
done_step

step "npm: gpu.js 2.24.1, webgpu 0.6.2"
if node -e "require.resolve('gpu.js'); require.resolve('webgpu/package.json')" 2>/dev/null; then
  echo "   present: gpu.js $(node -p "require('gpu.js/package.json').version"), webgpu $(node -p "require('webgpu/package.json').version")"
else
  npm install --no-save --no-audit --no-fund gpu.js@2.24.1 webgpu@0.6.2
fi
v=$(node -p "require('webgpu/package.json').version")
[ "$v" = 0.6.2 ] || { echo "error: webgpu $v found; 0.6.2 is needed (0.2.9, which gpu.js pins, needs glibc 2.38)" >&2; exit 1; }
done_step

step "check: a WebGPU adapter through Dawn on SwiftShader"
VK_ICD_FILENAMES=$ICD node -e "
const path = require('path');
const pkg = require.resolve('webgpu/package.json');
const m = { exports: {} };
process.dlopen(m, path.join(path.dirname(pkg), 'dist', process.platform + '-' + process.arch, 'dawn.node'));
m.exports.create([]).requestAdapter().then((a) => {
  if (!a) { console.error('error: no adapter'); process.exit(1); }
  const i = a.info; console.log('   adapter: ' + [i.vendor, i.architecture, i.description].join(' / ')); process.exit(0);
});" 2> >(grep -v XDG_RUNTIME_DIR >&2)
done_step

echo "== done in $((SECONDS - t_all)) s. Run the gpu tests with:"
echo "   VK_ICD_FILENAMES=$ICD npx jest test/gpu-"
if [ "$run_tests" = 1 ]; then VK_ICD_FILENAMES=$ICD npx jest test/gpu-; fi
