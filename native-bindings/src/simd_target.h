// sigrep: compiling one region of a header for AVX2 while the rest of the addon targets the baseline CPU;
// the kernels inside are called only after a run-time check (__builtin_cpu_supports("avx2")).
#pragma once

#if defined(__clang__)
#define SIGREP_AVX2_BEGIN _Pragma("clang attribute push(__attribute__((target(\"avx2\"))), apply_to = function)")
#define SIGREP_AVX2_END _Pragma("clang attribute pop")
#else
#define SIGREP_AVX2_BEGIN _Pragma("GCC push_options") _Pragma("GCC target(\"avx2\")")
#define SIGREP_AVX2_END _Pragma("GCC pop_options")
#endif
