/*
 * The seed's benchmark model (models/neurons/lif.ts: forward Euler, refractoriness counted in steps) written
 * by hand in C, the same arrays brainweave's float32 LIF keeps: V, tLast (float), refractory (int32),
 * spike (uint8), the run's drive (float). One pass per step, the drive read directly (brainweave's fused
 * input loop does the same), nothing else touched. Two forms:
 *  - plain C, which gcc vectorises where the target has masked stores (the rare `tLast = t` is one):
 *    bench/lif-ceiling.ts builds it with -march=native (AVX-512 on the benchmark machine, 16 lanes);
 *    at SSE4.2 gcc leaves it scalar;
 *  - -DSSE: 128-bit SSE4.1 intrinsics (WebAssembly SIMD's width: 4 float lanes), branch-free lane masks,
 *    tLast stored only in a group of 4 where one fired: what the best wasm could do, in C.
 * With -fopenmp, `threads` splits the neurons (static schedule).
 *
 *   lif1m <n> <steps> <reps> <threads>   prints one line per rep: ms per step; then "spikes <count>"
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#ifdef SSE
#include <smmintrin.h>
#endif

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }

int main(int argc, char **argv) {
  if (argc != 5) { fprintf(stderr, "usage: lif1m n steps reps threads\n"); return 2; }
  const int n = atoi(argv[1]) & ~3, steps = atoi(argv[2]), reps = atoi(argv[3]), threads = atoi(argv[4]);
  float *V = aligned_alloc(64, sizeof(float) * n), *tLast = aligned_alloc(64, sizeof(float) * n), *drive = aligned_alloc(64, sizeof(float) * n);
  int32_t *ref = aligned_alloc(64, sizeof(int32_t) * n);
  uint8_t *spike = aligned_alloc(64, n);
  // as bench/backends.ts: V0 = -60, drive 5 … 40 mV across the neurons
  for (int i = 0; i < n; i++) { V[i] = -60.0f; tLast[i] = -1e7f; ref[i] = 0; spike[i] = 0; drive[i] = 5.0f + (35.0f * i) / n; }
  const float dt = 0.1f, tau = 20.0f, Vth = -50.0f, Vreset = -60.0f, Vrest = -60.0f, I = 0.0f;
  const int32_t nRef = 50; /* trunc(tRef/dt + 1e-3), tRef = 5 ms */
  long count = 0;
  int s0 = 0;
  for (int r = 0; r < reps; r++) {
    const double t0 = now();
    for (int s = s0; s < s0 + steps; s++) {
      const float t = s * dt;
#ifdef SSE
      const __m128 vth = _mm_set1_ps(Vth), vreset = _mm_set1_ps(Vreset), vrest = _mm_set1_ps(Vrest), vI = _mm_set1_ps(I);
      const __m128 k = _mm_set1_ps(dt / tau), tt = _mm_set1_ps(t);
      const __m128i one = _mm_set1_epi32(1), nref = _mm_set1_epi32(nRef);
#pragma omp parallel for num_threads(threads) schedule(static)
      for (int i = 0; i < n; i += 4) { /* n: a multiple of 4 */
        const __m128i rf = _mm_load_si128((const __m128i *)(ref + i));
        const __m128 v = _mm_load_ps(V + i);
        const __m128 held = _mm_castsi128_ps(_mm_cmpgt_epi32(rf, one));
        const __m128 nv = _mm_add_ps(v, _mm_mul_ps(_mm_add_ps(_mm_add_ps(_mm_sub_ps(vrest, v), _mm_load_ps(drive + i)), vI), k));
        const __m128 fire = _mm_andnot_ps(held, _mm_cmpge_ps(nv, vth));
        const __m128i rHeld = _mm_and_si128(_mm_castps_si128(held), _mm_sub_epi32(rf, one)); /* held: r − 1, else 0 */
        _mm_store_si128((__m128i *)(ref + i), _mm_blendv_epi8(rHeld, nref, _mm_castps_si128(fire)));
        _mm_store_ps(V + i, _mm_blendv_ps(_mm_blendv_ps(nv, v, held), vreset, fire));
        const __m128i b = _mm_and_si128(_mm_castps_si128(fire), one);
        *(int32_t *)(spike + i) = _mm_cvtsi128_si32(_mm_packus_epi16(_mm_packus_epi32(b, b), b));
        if (_mm_movemask_ps(fire)) _mm_store_ps(tLast + i, _mm_blendv_ps(_mm_load_ps(tLast + i), tt, fire));
      }
#else
#pragma omp parallel for num_threads(threads) schedule(static)
      for (int i = 0; i < n; i++) {
        int32_t rf = ref[i];
        float v = V[i];
        uint8_t sp = 0;
        if (rf > 1) rf -= 1;
        else {
          rf = 0;
          const float nv = v + (Vrest - v + drive[i] + I) / tau * dt;
          if (nv >= Vth) { v = Vreset; sp = 1; rf = nRef; tLast[i] = t; } else v = nv;
        }
        ref[i] = rf; V[i] = v; spike[i] = sp;
      }
#endif
      for (int i = 0; i < n; i += 4096) count += spike[i]; /* keeps the loop from being thrown away */
    }
    s0 += steps;
    printf("%.4f\n", (now() - t0) / steps * 1e3);
    fflush(stdout);
  }
  long total = 0;
  for (int i = 0; i < n; i++) total += spike[i];
  printf("spikes %ld %ld\n", total, count);
  return 0;
}
