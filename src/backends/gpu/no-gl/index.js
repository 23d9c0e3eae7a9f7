// brainweave's package.json overrides gpu.js's optional `gl` (headless-gl) with this stub: the real one
// downloads ~130 packages and then fails to build without github.com access or X11/GL headers.
// gpu.js requires it inside try/catch, so mode "headlessgl" simply reports itself unavailable.
throw new Error('headless-gl is stubbed out by brainweave (package.json "overrides": { "gl": ... }); ' +
  'remove the override and install gl@8.1.6 (needs a C++ toolchain and X11/GL headers) to use mode "headlessgl"');
