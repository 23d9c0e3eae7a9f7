"""
COBA (Vogels & Abbott 2005; Brette et al. 2007 benchmark 1) as Brian2 users write it -- the script of
Brian2's own benchmark/example, in C++ standalone mode. Same model as brainweave's examples/coba.ts:
4000 LIF (3200 E / 800 I), p = 0.02, conductance-based exponential synapses (we = 0.6, wi = 6.7 in units of
the leak), taue 5 ms, taui 10 ms, El = Vr = -60 mV, Vt = -50 mV, I = 20 mV, refractory 5 ms, V0 ~ N(-55, 5) mV,
forward Euler at dt = 0.1 ms, 1 s, spikes recorded by a SpikeMonitor.

  /usr/bin/python3 bench/brian2/coba.py [--N 4000] [--dir out/brian2-coba-4000] [--seed 42]

Builds and compiles the standalone project (Brian2's flags: prefs.codegen.cpp.extra_compile_args_gcc, by
default -O3 -ffast-math -fno-finite-math-only -march=native), runs it once and prints one JSON line:
{ dir, binary, run_loop_s, run_wall_s, spikes, compile_flags, ... }. `run_loop_s` is Brian2's own timing of
Network::run (results/last_run_info.txt: std::clock() CPU seconds around the step loop, monitors included;
connectivity creation and initialisation are outside it); `run_wall_s` is wall-clock seconds around `run`
(results/wall_run.txt, inserted with device.insert_code; adds the before-run set-up, e.g. the spike queue). bench/brian2.ts then re-runs `dir/main` to time it repeatedly.
For N != 4000, p = 80 / N (80 inputs per neuron) and E/I = 4:1.
"""
import argparse, json, os, sys, time

parser = argparse.ArgumentParser()
parser.add_argument('--N', type=int, default=4000)
parser.add_argument('--dir', default=None)
parser.add_argument('--seed', type=int, default=42)
parser.add_argument('--duration-ms', type=float, default=1000.0)
args = parser.parse_args()

from brian2 import *  # noqa: E402,F401  (Brian2 style)

N = args.N
NE = N * 4 // 5
p = 0.02 if N == 4000 else 80.0 / N
directory = os.path.abspath(args.dir or f'out/brian2-coba-{N}')
set_device('cpp_standalone', directory=directory, build_on_run=False)
prefs.devices.cpp_standalone.openmp_threads = 0  # single thread, like the JavaScript and WebAssembly runs
defaultclock.dt = 0.1 * ms
seed(args.seed)

taum = 20 * ms
taue = 5 * ms
taui = 10 * ms
Vt = -50 * mV
Vr = -60 * mV
El = -60 * mV
Erev_exc = 0. * mV
Erev_inh = -80. * mV
I = 20. * mvolt

eqs = '''
dv/dt  = (ge*(Erev_exc-v)+gi*(Erev_inh-v)-(v-El) + I)*(1./taum) : volt (unless refractory)
dge/dt = -ge/taue : 1
dgi/dt = -gi/taui : 1
'''
P = NeuronGroup(N, eqs, threshold='v>Vt', reset='v = Vr', refractory=5 * ms, method='euler')
P.v = 'randn() * 5. * mV - 55. * mV'
we = 0.6  # excitatory synaptic weight (voltage)
wi = 6.7  # inhibitory synaptic weight
Ce = Synapses(P, P, on_pre='ge += we')
Ci = Synapses(P, P, on_pre='gi += wi')
Ce.connect(f'i<{NE}', p=p)
Ci.connect(f'i>={NE}', p=p)
s_mon = SpikeMonitor(P)

# Instrumentation (not part of the user's model): wall-clock seconds around the run, written next to Brian2's
# own CPU-time figure. It includes the run's before-run blocks (spike queue set-up), Brian2's figure does not.
device.insert_code('main', 'struct timespec _bw_t0, _bw_t1; clock_gettime(CLOCK_MONOTONIC, &_bw_t0);')
run(args.duration_ms * ms)
device.insert_code('main', 'clock_gettime(CLOCK_MONOTONIC, &_bw_t1); '
                           '{ std::ofstream _bw_f("results/wall_run.txt"); _bw_f.precision(9); '
                           '_bw_f << (_bw_t1.tv_sec - _bw_t0.tv_sec) + 1e-9 * (_bw_t1.tv_nsec - _bw_t0.tv_nsec) << std::endl; }')
t0 = time.perf_counter()
device.build(directory=directory, compile=True, run=True)
t_build_and_run = time.perf_counter() - t0

print(json.dumps({
    'N': N, 'p': p, 'dir': directory, 'binary': os.path.join(directory, 'main'),
    'run_loop_s': device._last_run_time,
    'run_wall_s': float(open(os.path.join(directory, 'results', 'wall_run.txt')).read()),
    'spikes': int(s_mon.num_spikes), 'spikes_E': int((s_mon.i < NE).sum()), 'spikes_I': int((s_mon.i >= NE).sum()),
    'synapses': int(len(Ce) + len(Ci)),
    'compile_flags': prefs.codegen.cpp.extra_compile_args_gcc,
    'build_compile_run_s': t_build_and_run,
    'brian2': __import__('brian2').__version__,
}))
sys.stdout.flush()
