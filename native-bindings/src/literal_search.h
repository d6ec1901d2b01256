// Small literal sets: which of a few literals (ASCII case-insensitive) occur in each framed line, without
// stepping a DFA on every byte. Same answer as the Aho-Corasick scan in line_prefilter.cc, found differently.
//
// Key decisions:
// - One pass per distinct literal, each filtered by a "rare byte pair": the two bytes of the literal that
//   are least common in logs (byte_ranks.h) are compared, case-folded, 16 (SSE2) or 32 (AVX2, chosen at
//   run time) candidate starts at a time; a candidate is verified with a folded compare eight bytes at a time.
// - A verified hit ends the literal's work on that line: its pass jumps to the next line's start. So a
//   literal that occurs in most lines costs one hit per line, not one per occurrence.
// - Hit positions map to lines with a per-literal cursor over the framing (hits come in order); a hit must
//   end by the line's end, which also keeps a literal off the CR of a CRLF.
// - The chunk is walked in L2-sized segments, every literal's pass over a segment before the next, so the
//   chunk is read from memory once rather than once per literal.
// - Results are one bit per literal id per line (so at most kMaxLiterals ids); equal folded literals share
//   a pass, and a literal containing LF never matches and gets none.

#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

#include "byte_ranks.h"
#include "simd_target.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__SSE2__) && defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#include <immintrin.h>
#define SIGREP_HAVE_AVX2_DISPATCH 1
#endif

namespace sigrep {

// Frames lines from pos while pos <= target (so every line that starts by target), appending their
// starts and ends; leaves pos at the next line's start. Lines split on LF, and a CR right before the LF
// is not part of the line. Both searches frame with this.
inline void FrameLinesThrough(const uint8_t* base, size_t n, size_t& pos, size_t target, std::vector<uint32_t>& starts,
                              std::vector<uint32_t>& ends) {
  while (pos < n && pos <= target) {
    const uint8_t* nl = static_cast<const uint8_t*>(std::memchr(base + pos, '\n', n - pos));
    size_t end = n, next = n;
    if (nl != nullptr) {
      const size_t at = size_t(nl - base);
      end = (at > pos && base[at - 1] == '\r') ? at - 1 : at;
      next = at + 1;
    }
    starts.push_back(uint32_t(pos));
    ends.push_back(uint32_t(end));
    pos = next;
  }
}

// One literal's filter and verifier. Bytes are stored folded (A-Z as a-z); fold_or is 0x20 on letters and
// 0 elsewhere, so (b | fold_or[i]) == folded[i] tests byte b against position i in both cases.
struct PairLiteral {
  std::vector<uint8_t> folded;
  std::vector<uint8_t> fold_or;
  uint32_t len = 0;
  uint32_t i1 = 0, i2 = 0;  // offsets of the two rare bytes (equal for a one-byte literal)
  uint32_t max_off = 0;     // max(i1, i2)
  uint8_t b1 = 0, b2 = 0, m1 = 0, m2 = 0;
  uint64_t bits = 0;        // literal ids reported by a hit (several when literals fold to the same bytes)
};

// The framed chunk as the search sees it.
struct LineTable {
  const uint8_t* base;
  size_t size;
  const uint32_t* starts;
  const uint32_t* ends;
  uint32_t count;  // >= 1
  uint64_t* masks;  // per line, the ids found (bits), zeroed by the caller
};

// Where one literal's pass stands: the next candidate start to look at, and the line that holds it or an
// earlier one (cursors only move forward).
struct PairCursor {
  size_t pos = 0;
  uint32_t line = 0;
  size_t misses = 0;  // candidates that were not a hit, to judge how well the pair filters
};

inline uint64_t Load64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

inline bool VerifyFolded(const uint8_t* h, const PairLiteral& lit) {
  const uint8_t* f = lit.folded.data();
  const uint8_t* o = lit.fold_or.data();
  const size_t len = lit.len;
  if (len >= 8) {
    size_t i = 0;
    for (; i + 8 <= len; i += 8)
      if ((Load64(h + i) | Load64(o + i)) != Load64(f + i)) return false;
    if (i < len) {
      i = len - 8;  // overlaps bytes already compared, which is harmless
      if ((Load64(h + i) | Load64(o + i)) != Load64(f + i)) return false;
    }
    return true;
  }
  for (size_t i = 0; i < len; i++)
    if ((h[i] | o[i]) != f[i]) return false;
  return true;
}

// A candidate start c: finds its line, verifies, and on a hit records it and moves the cursor to the next
// line's start. Returns whether it was a hit.
inline bool Check(const PairLiteral& lit, const LineTable& lines, PairCursor& cur, size_t c) {
  uint32_t li = cur.line;
  while (li + 1 < lines.count && lines.starts[li + 1] <= c) li++;
  cur.line = li;
  if (c + lit.len > lines.ends[li] || !VerifyFolded(lines.base + c, lit)) return false;
  lines.masks[li] |= lit.bits;
  // The next line may not be framed yet: it starts past this line's LF (and the CR before it, if any).
  const size_t end = lines.ends[li];
  cur.pos = end == lines.size ? end : end + (lines.base[end] == '\r' ? 2 : 1);
  return true;
}

// The candidate starts p + (set bits of m), in order; returns where the block loop resumes: past the
// blocks, or the next line's start after a hit.
__attribute__((noinline)) inline size_t Candidates(const PairLiteral& lit, const LineTable& lines, PairCursor& cur,
                                                   size_t p, uint64_t m, size_t step) {
  for (; m != 0; m &= m - 1) {
    if (Check(lit, lines, cur, p + size_t(__builtin_ctzll(m)))) return cur.pos;
    cur.misses++;
  }
  return p + step;
}

// Bytewise, candidates c in [p, stop): the last few bytes of a chunk, where a vector load would run past
// it, and every segment where there is no SIMD.
inline void ScanBytewise(const PairLiteral& lit, const LineTable& lines, PairCursor& cur, size_t p, size_t stop) {
  const uint8_t* base = lines.base;
  const size_t last = lines.size >= lit.len ? lines.size - lit.len + 1 : 0;  // candidates end here
  if (stop > last) stop = last;
  while (p < stop) {
    if ((base[p + lit.i1] | lit.m1) == lit.b1 && (base[p + lit.i2] | lit.m2) == lit.b2) {
      if (Check(lit, lines, cur, p)) {
        p = cur.pos;
        continue;
      }
      cur.misses++;
    }
    p++;
  }
  cur.pos = stop == last ? lines.size : p;
}

namespace scalar {
inline void ScanSegment(const PairLiteral& lit, const LineTable& lines, PairCursor& cur, size_t seg_end) {
  ScanBytewise(lit, lines, cur, cur.pos, seg_end);
}
}  // namespace scalar

#if defined(__SSE2__)
namespace sse2 {
using Vec = __m128i;
constexpr size_t kWidth = 16;
inline Vec Splat(uint8_t b) { return _mm_set1_epi8(char(b)); }
inline Vec LoadU(const uint8_t* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); }
inline Vec Or(Vec a, Vec b) { return _mm_or_si128(a, b); }
inline Vec And(Vec a, Vec b) { return _mm_and_si128(a, b); }
inline Vec CmpEq(Vec a, Vec b) { return _mm_cmpeq_epi8(a, b); }
inline uint32_t MoveMask(Vec a) { return uint32_t(_mm_movemask_epi8(a)); }
#include "literal_search_kernel.inc"
}  // namespace sse2
#endif

#if defined(SIGREP_HAVE_AVX2_DISPATCH)
SIGREP_AVX2_BEGIN
namespace avx2 {
using Vec = __m256i;
constexpr size_t kWidth = 32;
inline Vec Splat(uint8_t b) { return _mm256_set1_epi8(char(b)); }
inline Vec LoadU(const uint8_t* p) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)); }
inline Vec Or(Vec a, Vec b) { return _mm256_or_si256(a, b); }
inline Vec And(Vec a, Vec b) { return _mm256_and_si256(a, b); }
inline Vec CmpEq(Vec a, Vec b) { return _mm256_cmpeq_epi8(a, b); }
inline uint32_t MoveMask(Vec a) { return uint32_t(_mm256_movemask_epi8(a)); }
#include "literal_search_kernel.inc"
}  // namespace avx2
SIGREP_AVX2_END
#endif

class SmallLiteralSearch {
 public:
  // Ids are bits of a uint64_t per line.
  static constexpr uint32_t kMaxLiterals = 64;
  // Bytes of the chunk every literal's pass covers before the next segment: well inside a core's L2.
  static constexpr size_t kSegmentBytes = size_t(64) << 10;
  // At least two blocks of the widest kernel.
  static constexpr size_t kLookahead = 128;

  // Literals as in the LinePrefilter constructor (offs has count + 1 entries, no empty literal); count must
  // be at most kMaxLiterals. `allow_avx2` false forces the baseline, for comparing the two.
  void Build(const uint8_t* data, const uint32_t* offs, uint32_t count, bool allow_avx2 = true) {
    lits_.clear();
    max_len_ = 0;
    for (uint32_t id = 0; id < count; id++) {
      const uint8_t* s = data + offs[id];
      const uint32_t len = offs[id + 1] - offs[id];
      if (std::memchr(s, '\n', len) != nullptr) continue;
      PairLiteral lit;
      lit.len = len;
      lit.folded.resize(len);
      lit.fold_or.resize(len);
      for (uint32_t i = 0; i < len; i++) {
        const bool letter = (s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z';
        lit.fold_or[i] = letter ? 0x20 : 0;
        lit.folded[i] = uint8_t(s[i] | lit.fold_or[i]);
      }
      bool merged = false;
      for (PairLiteral& other : lits_) {
        if (other.folded == lit.folded) {
          other.bits |= uint64_t(1) << id;
          merged = true;
          break;
        }
      }
      if (merged) continue;
      ChoosePair(lit);
      if (len > max_len_) max_len_ = len;
      lit.bits = uint64_t(1) << id;
      lits_.push_back(std::move(lit));
    }
    scan_ = &scalar::ScanSegment;
    kernel_ = "pairs-scalar";
#if defined(__SSE2__)
    scan_ = &sse2::ScanSegment;
    kernel_ = "pairs-sse2";
#endif
#if defined(SIGREP_HAVE_AVX2_DISPATCH)
    if (allow_avx2 && __builtin_cpu_supports("avx2")) {
      scan_ = &avx2::ScanSegment;
      kernel_ = "pairs-avx2";
    }
#else
    (void)allow_avx2;
#endif
    cursors_.resize(lits_.size());
  }

  // Which filter loop runs: "pairs-avx2", "pairs-sse2" or "pairs-scalar".
  const char* Kernel() const { return kernel_; }

  // Frames the chunk exactly as LinePrefilter::Frame does (lines split on LF, a CR before the LF left out)
  // into starts/ends, and sets masks[line] to the bits of the literal ids that occur in each line. Framing
  // runs one segment ahead of the search, so each segment is read from memory once, by memchr, and every
  // literal's pass over it finds it in cache.
  void FrameAndScan(const uint8_t* base, size_t n, std::vector<uint32_t>& starts, std::vector<uint32_t>& ends,
                    std::vector<uint64_t>& masks) {
    starts.clear();
    ends.clear();
    masks.clear();
    size_t pos = 0;
    auto frame_through = [&](size_t target) {
      FrameLinesThrough(base, n, pos, target, starts, ends);
      masks.resize(starts.size(), 0);
    };
    for (PairCursor& c : cursors_) c = PairCursor();
    for (size_t seg = 0; seg < n && !lits_.empty(); seg += kSegmentBytes) {
      const size_t seg_end = n - seg > kSegmentBytes ? seg + kSegmentBytes : n;
      // A pass may look at candidates up to two blocks past seg_end, and near the chunk's end finishes it
      // bytewise, so lines are framed through seg_end + kLookahead + the longest literal (all, near the end).
      frame_through(seg_end + kLookahead + max_len_);
      const LineTable lines{base, n, starts.data(), ends.data(), uint32_t(starts.size()), masks.data()};
      for (size_t k = 0; k < lits_.size(); k++)
        if (cursors_[k].pos < seg_end) scan_(lits_[k], lines, cursors_[k], seg_end);
    }
    frame_through(n);
  }

  // Whether the pair filters were worse than the DFA on the last chunk of n bytes: the passes cost about
  // 1/20 of a DFA step per byte each, a missed candidate about 5 steps (line lookup and compare). Literals
  // whose rarest bytes are common in the data (".exe" in Windows logs) can get there.
  bool SlowerThanDfa(size_t n) const {
    uint64_t misses = 0;
    for (const PairCursor& c : cursors_) misses += c.misses;
    return uint64_t(n) * lits_.size() / 20 + misses * 5 > uint64_t(n);
  }

 private:
  // The two rarest positions by byte rank; ties go to the later position, which is more often a
  // distinguishing byte than a shared prefix.
  static void ChoosePair(PairLiteral& lit) {
    uint32_t best = 0;
    for (uint32_t i = 1; i < lit.len; i++)
      if (kByteRank[lit.folded[i]] <= kByteRank[lit.folded[best]]) best = i;
    uint32_t second = best;
    for (uint32_t i = 0; i < lit.len; i++) {
      if (i == best) continue;
      if (second == best || kByteRank[lit.folded[i]] <= kByteRank[lit.folded[second]]) second = i;
    }
    lit.i1 = best;
    lit.i2 = second;
    lit.max_off = best > second ? best : second;
    lit.b1 = lit.folded[best];
    lit.m1 = lit.fold_or[best];
    lit.b2 = lit.folded[second];
    lit.m2 = lit.fold_or[second];
  }

  using ScanFn = void (*)(const PairLiteral&, const LineTable&, PairCursor&, size_t);
  std::vector<PairLiteral> lits_;
  std::vector<PairCursor> cursors_;
  size_t max_len_ = 0;
  ScanFn scan_ = nullptr;
  const char* kernel_ = "";
};

}  // namespace sigrep
