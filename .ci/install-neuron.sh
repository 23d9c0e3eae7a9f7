#!/usr/bin/env bash
# Installs NEURON + PyNN + MPI from Debian (bookworm) for the export tests and `docs/beyond-one-machine.md`,
# and compiles PyNN's NEURON mechanisms. Idempotent: a second run only checks.
#
# Why the nrnivmodl step: Debian ships PyNN's .mod files uncompiled, so `import pyNN.neuron` fails with
# "NEURON mechanisms not found"; Debian's nrnivmodl looks for nrnmech_makefile (and libnrniv.so) in the wrong
# folder, both are in /usr/lib/nrn/. We run a copy of nrnivmodl with that folder corrected.
set -euo pipefail

PY=/usr/bin/python3
ok() { "$PY" -c 'import pyNN.neuron' >/dev/null 2>&1; }

if ok && command -v mpirun >/dev/null; then echo "install-neuron: PyNN + NEURON already work"; exit 0; fi

SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
if ! dpkg -s python3-pynn python3-neuron neuron-dev openmpi-bin python3-mpi4py python3-h5py >/dev/null 2>&1; then
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends \
    python3-pynn python3-neuron neuron-dev openmpi-bin python3-mpi4py python3-h5py python3-numpy \
    make gcc g++ >/dev/null
fi

NMODL_DIR=$("$PY" -c 'import os, pyNN; print(os.path.join(os.path.dirname(pyNN.__file__), "neuron", "nmodl"))')
if ! ok; then
  NRNIVMODL=$(command -v nrnivmodl)
  LIBDIR=/usr/lib/nrn
  [ -f "$LIBDIR/nrnmech_makefile" ] || LIBDIR=$(dirname "$(find /usr/lib /usr/share -name nrnmech_makefile 2>/dev/null | head -1)")
  FIXED=$(mktemp)
  # nrnivmodl runs `make -f ${bindir}/nrnmech_makefile`, and that makefile links -L${ROOT}/lib -lnrniv:
  # point both at LIBDIR (a make command-line variable overrides the makefile's own `libdir :=`)
  sed "s#-f \"\${bindir}/nrnmech_makefile\"#-f \"$LIBDIR/nrnmech_makefile\" \"libdir=$LIBDIR\"#" "$NRNIVMODL" > "$FIXED"
  # and build only the shared library PyNN loads (x86_64/.libs/libnrnmech.so): the `special` executable
  # needs InterViews headers Debian does not ship
  sed -i 's#LinkCoreNEURON=$LinkCoreNEURON" special \&\&#LinkCoreNEURON=$LinkCoreNEURON" mech_lib_shared \&\&#' "$FIXED"
  grep -q "mech_lib_shared &&" "$FIXED" || { echo "install-neuron: nrnivmodl's make target not found; cannot fix it"; exit 1; }
  grep -q "$LIBDIR/nrnmech_makefile" "$FIXED" || { echo "install-neuron: nrnivmodl's make line not found; cannot fix it"; exit 1; }
  chmod +x "$FIXED"
  (cd "$NMODL_DIR" && $SUDO "$FIXED" >/dev/null) || { echo "install-neuron: nrnivmodl failed in $NMODL_DIR"; exit 1; }
  rm -f "$FIXED"
fi
ok || { echo "install-neuron: 'import pyNN.neuron' still fails:"; "$PY" -c 'import pyNN.neuron'; exit 1; }
echo "install-neuron: PyNN $("$PY" -c 'import pyNN; print(pyNN.__version__)'), NEURON $("$PY" -c 'import neuron; print(neuron.__version__)'), $(mpirun --version | head -1)"
