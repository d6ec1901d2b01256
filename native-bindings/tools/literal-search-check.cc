// Standalone check of literal_search.h against a naive search, under ASan/UBSan, for all three kernels
// (AVX2 and SSE2 via Build's allow_avx2, the bytewise one with -U__SSE2__), which the ava suite cannot
// force on x86-64. Exact-size heap buffers make any read past a chunk or a literal an ASan error.
//
//   g++ -O1 -g -fsanitize=address,undefined -std=c++17 -Inative-bindings/src native-bindings/tools/literal-search-check.cc -o /tmp/lsc && /tmp/lsc
//   g++ -O1 -g -fsanitize=address,undefined -std=c++17 -U__SSE2__ -Inative-bindings/src native-bindings/tools/literal-search-check.cc -o /tmp/lsc && /tmp/lsc
#include "literal_search.h"
#include <cstdio>
#include <random>
#include <memory>
int main() {
  std::mt19937 rng(1);
  // Few symbols, so occurrences, overlaps and CR/LF cases are frequent.
  const char alpha[] = "abAB.x\r\n\xff";
  uint64_t total = 0;
  for (int iter = 0; iter < 20000; iter++) {
    int nl = 1 + rng() % 5; std::string bytes; std::vector<uint32_t> offs{0};
    for (int i = 0; i < nl; i++) { int len = 1 + rng() % (rng() % 4 == 0 ? 70 : 5); for (int j = 0; j < len; j++) bytes += alpha[rng() % 9]; offs.push_back(bytes.size()); }
    size_t n = rng() % (iter % 10 == 0 ? 3000 : 200);
    std::unique_ptr<uint8_t[]> buf(new uint8_t[n ? n : 1]);
    for (size_t i = 0; i < n; i++) buf[i] = alpha[rng() % 9];
    for (int avx = 0; avx < 2; avx++) {
      sigrep::SmallLiteralSearch s; s.Build((const uint8_t*)bytes.data(), offs.data(), nl, avx);
      std::vector<uint32_t> st, en; std::vector<uint64_t> m;
      s.FrameAndScan(buf.get(), n, st, en, m);
      // naive check
      for (size_t li = 0; li < st.size(); li++) {
        uint64_t want = 0;
        for (int id = 0; id < nl; id++) {
          size_t len = offs[id+1]-offs[id];
          for (size_t c = st[li]; c + len <= en[li]; c++) { bool ok = true; for (size_t k = 0; k < len && ok; k++) { uint8_t h = buf[c+k], l = bytes[offs[id]+k]; auto f=[](uint8_t b){return (b>='A'&&b<='Z')?b+32:b;}; ok = f(h)==f(l); } if (ok) { want |= 1ull << id; break; } }
        }
        if (want != m[li]) { printf("MISMATCH iter %d avx %d line %zu\n", iter, avx, li); return 1; }
        total += __builtin_popcountll(want);
      }
    }
  }
  printf("ok %llu hits\n", (unsigned long long)total);
}
