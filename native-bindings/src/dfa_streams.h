// sigrep line prefilter, native engine: the Aho-Corasick DFA run over a whole chunk as eight streams.
//
// Key decision: a DFA step is a load whose address depends on the previous step's load, so one stream waits
// on the table, and with thousands of literals the table (tens of MB) misses L1 and L2 on many steps. Eight
// independent streams stepped together keep eight of those loads in flight. Each stream is a contiguous run
// of whole lines, not one line: LF gets its own byte class that leads every state to a marker state, which
// behaves as the root and reports like a literal state, so a stream needs no per-line setup and the
// reporting states, read in order, say which line each hit belongs to. The step loop holds only the eight
// dependent loads: the lanes' bytes come transposed (one pointer for all), every state is stored, and the
// reporting ones are picked out afterwards. Literal ids are appended per line and deduplicated in bulk, as
// common literals come up many times a line. Once, the states are renumbered by how often the data visits
// them, so the hot ones share cache lines and pages.
//
// Lines exclude the CR before an LF. Scanning that CR is harmless unless a literal ends with CR (a match
// ending on it would be reported): such sets keep the per-line scan in line_prefilter.cc.

#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__SSE2__) && defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#include <immintrin.h>
#define SIGREP_STREAMS_AVX2 1
#endif
// GCC packs the eight state stores into vector shuffles, which costs registers the states need.
#if defined(__GNUC__) && !defined(__clang__)
#define SIGREP_NO_SLP __attribute__((optimize("no-tree-slp-vectorize")))
#else
#define SIGREP_NO_SLP
#endif

namespace sigrep {

// The DFA as line_prefilter.cc builds it: rows of `stride` entries, state ids premultiplied by the stride,
// states from `match_from` (premultiplied) on report, and entry `class_count` of a reporting state's row
// is its index into out_start (CSR into out_lits, ascending literal ids).
struct DfaSource {
  const uint32_t* trans;
  uint32_t state_count;
  uint32_t class_count;
  uint32_t stride;
  uint32_t match_from;
  const uint8_t* class_of;
  const uint32_t* out_start;
  const uint32_t* out_lits;
  uint32_t literal_count;
};

class DfaStreams {
 public:
  static constexpr int kLanes = 8;
  static constexpr size_t kBlock = 256;

  // Whether streams can run this DFA; when not, Build leaves the instance unbuilt.
  static bool Applies(const uint8_t* data, const uint32_t* offs, uint32_t count, const DfaSource& d) {
    for (uint32_t id = 0; id < count; id++)
      if (offs[id + 1] > offs[id] && data[offs[id + 1] - 1] == '\r') return false;
    return (uint64_t(d.state_count) + 1) * (d.class_count + 1) < (uint64_t(1) << kTagShift);
  }

  bool Built() const { return !trans_.empty(); }

  // Copies the DFA into the stream layout: one more byte class (LF) and one more state (the line marker).
  void Build(const uint8_t* data, const uint32_t* offs, uint32_t count, const DfaSource& d) {
    trans_.clear();
    if (!Applies(data, offs, count, d)) return;
    const uint32_t cc = d.class_count;
    nl_class_ = cc;
    stride_ = cc + 1;
    const uint32_t states = d.state_count + 1;
    // The marker goes first among the reporting states: ids from match_from move up by one.
    const uint32_t mfi = d.match_from / d.stride;
    const uint32_t marker = mfi * stride_;
    auto moved = [mfi](uint32_t u) { return u < mfi ? u : u + 1; };
    // Old ids are exact multiples of d.stride below 2^27: a 2^40 fixed-point reciprocal divides them exactly.
    const uint64_t recip = ((uint64_t(1) << 40) + d.stride - 1) / d.stride;
    trans_.assign(size_t(states) * stride_, 0);
    for (uint32_t u = 0; u < d.state_count; u++) {
      const uint32_t* from = d.trans + size_t(u) * d.stride;
      uint32_t* to = trans_.data() + size_t(moved(u)) * stride_;
      for (uint32_t c = 0; c < cc; c++) to[c] = moved(uint32_t((uint64_t(from[c]) * recip) >> 40)) * stride_;
      to[nl_class_] = marker;
    }
    // The marker: the root's transitions.
    std::memcpy(trans_.data() + marker, trans_.data(), size_t(stride_) * sizeof(uint32_t));
    match_from_ = marker;
    for (int b = 0; b < 256; b++) class_of_[b] = d.class_of[b];
    class_of_[uint8_t('\n')] = uint8_t(nl_class_);
    marker_ = marker;
    // Reporting states are numbered consecutively, so (s - match_from) / stride indexes their outputs.
    stride_recip_ = ((uint64_t(1) << 40) + stride_ - 1) / stride_;
    out_start_.assign(d.out_start, d.out_start + (d.state_count - d.match_from / d.stride) + 1);
    out_lits_.assign(d.out_lits, d.out_lits + out_start_.back());
    words_ = (d.literal_count + 63) / 64;
    compact_ = &CompactScalar;
#if defined(SIGREP_STREAMS_AVX2)
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt")) compact_ = &CompactAvx2;
#endif
    // Per reporting state (after the marker's unused entry) its one or two literals (a single one twice),
    // or kMany and its index into out_start.
    const uint32_t reporting = uint32_t(out_start_.size() - 1);
    pair_.assign(size_t(reporting) + 1, 0);
    for (uint32_t k = 0; k < reporting; k++) {
      const uint32_t o = out_start_[k], c = out_start_[k + 1] - o;
      pair_[k + 1] = c > 2 ? (uint64_t(kMany) << 32 | k) : (uint64_t(out_lits_[o + c - 1]) << 32 | out_lits_[o]);
    }
    for (Lane& lane : lanes_) {
      lane.seen.assign(words_, 0);
      lane.distinct.assign(size_t(d.literal_count) + 1, 0);  // Mark and Absorb store one past the last new id
      lane.distinct_count = 0;
      lane.raw.assign(kRawCap, 0);
      lane.raw_count = 0;
    }
  }

  // Scans lines [0, line_count) of the chunk base[0, n) (starts from the framing; lines separated by LF).
  // Per line with hits, writes its ascending distinct literal ids to flat at hit_start[line], hit_count[line]
  // (both zeroed by the caller for lines without hits).
  void Scan(const uint8_t* base, size_t n, const uint32_t* starts, uint32_t line_count, uint32_t* hit_start,
            uint32_t* hit_count, std::vector<uint32_t>& flat) {
    if (line_count == 0) return;
    // Once, on a chunk long enough to tell: which states this data visits most (a single stream over its
    // start), so they can share cache lines and pages. A table that fits L2 anyway is left alone.
    if (!tuned_ && n >= kProfileMinBytes) {
      tuned_ = true;
      if (trans_.size() * sizeof(uint32_t) > kCompactTableBytes) Relabel(Profile(base, std::min(n, kProfileBytes)));
    }
    hit_start_ = hit_start;
    hit_count_ = hit_count;
    flat_ = &flat;
    // Lane k takes the lines from the first one starting at or after k/8 of the chunk.
    uint32_t first[kLanes + 1];
    first[0] = 0;
    for (int k = 1; k < kLanes; k++) {
      const uint32_t target = uint32_t(uint64_t(n) * k / kLanes);
      first[k] = uint32_t(std::lower_bound(starts, starts + line_count, target) - starts);
      if (first[k] < first[k - 1]) first[k] = first[k - 1];
    }
    first[kLanes] = line_count;
    const uint8_t* p[kLanes];
    size_t len[kLanes];
    uint32_t st[kLanes];
    size_t common = n;
    for (int k = 0; k < kLanes; k++) {
      const size_t from = first[k] < line_count ? starts[first[k]] : n;
      const size_t to = first[k + 1] < line_count ? starts[first[k + 1]] : n;
      p[k] = base + from;
      len[k] = to - from;
      st[k] = 0;
      common = std::min(common, len[k]);
      lanes_[k].line = first[k];
      lanes_[k].line_end = first[k + 1];
      lanes_[k].distinct_count = 0;
      lanes_[k].raw_count = 0;
    }
    for (size_t i = 0; i < common; i += kBlock) {
      const size_t m = std::min(kBlock, common - i);
      Transpose(p, m, block_);
      Step8(trans_.data(), class_of_, block_, m, st, states_);
      Replay(compact_(states_, m, match_from_, record_));
      for (int k = 0; k < kLanes; k++) p[k] += m;
    }
    // The rest of each lane (segments differ by up to a line), one lane at a time.
    for (int k = 0; k < kLanes; k++) {
      for (size_t i = common; i < len[k]; i += kBlock) {
        const size_t m = std::min(kBlock, len[k] - i);
        Replay(Step1(trans_.data(), class_of_, match_from_, p[k], &st[k], m, uint32_t(k) << kTagShift, record_));
        p[k] += m;
      }
      // A last line without LF.
      while (lanes_[k].line < lanes_[k].line_end) EndLine(lanes_[k]);
    }
  }

 private:
  static constexpr int kTagShift = 29;
  static constexpr uint32_t kStateMask = (uint32_t(1) << kTagShift) - 1;
  static constexpr uint32_t kMany = 0xffffffffu;  // no literal id: ids are below 2^27
  static constexpr uint32_t kRawCap = 4 * kBlock;
  static constexpr size_t kProfileMinBytes = size_t(256) << 10;
  static constexpr size_t kProfileBytes = size_t(512) << 10;
  static constexpr size_t kCompactTableBytes = size_t(256) << 10;

  struct Lane {
    std::vector<uint32_t> raw;       // literal ids reported, repeats included, not yet in seen: raw[0, raw_count)
    uint32_t raw_count = 0;
    std::vector<uint64_t> seen;      // bit per literal id of the current line
    std::vector<uint32_t> distinct;  // the same ids, unordered: distinct[0, distinct_count)
    uint32_t distinct_count = 0;
    uint32_t line = 0;           // the current line
    uint32_t line_end = 0;       // one past the lane's last line
  };

  std::vector<uint32_t> Profile(const uint8_t* p, size_t n) const {
    std::vector<uint32_t> visits(trans_.size() / stride_, 0);
    const uint64_t recip = stride_recip_;
    uint32_t s = 0;
    for (size_t i = 0; i < n; i++) {
      s = trans_[size_t(s) + class_of_[p[i]]];
      visits[uint32_t((uint64_t(s) * recip) >> 40)]++;
    }
    return visits;
  }

  // Renumbers states so the ones visited most sit together around match_from: silent states by rising
  // visits up to it, the marker, then reporting states by falling visits. Results do not change.
  void Relabel(const std::vector<uint32_t>& visits) {
    const uint32_t states = uint32_t(visits.size());
    const uint32_t mfi = match_from_ / stride_;
    std::vector<uint32_t> order(states);
    for (uint32_t u = 0; u < states; u++) order[u] = u;
    std::stable_sort(order.begin() + 1, order.begin() + mfi, [&](uint32_t a, uint32_t b) { return visits[a] < visits[b]; });
    std::stable_sort(order.begin() + mfi + 1, order.end(), [&](uint32_t a, uint32_t b) { return visits[a] > visits[b]; });
    std::vector<uint32_t> pos(states);
    for (uint32_t i = 0; i < states; i++) pos[order[i]] = i;
    const uint64_t recip = stride_recip_;
    std::vector<uint32_t> t(trans_.size());
    for (uint32_t u = 0; u < states; u++) {
      const uint32_t* from = trans_.data() + size_t(u) * stride_;
      uint32_t* to = t.data() + size_t(pos[u]) * stride_;
      for (uint32_t c = 0; c < stride_; c++) to[c] = pos[uint32_t((uint64_t(from[c]) * recip) >> 40)] * stride_;
    }
    trans_.swap(t);
    std::vector<uint64_t> pair(pair_.size());
    for (uint32_t u = mfi; u < states; u++) pair[pos[u] - mfi] = pair_[u - mfi];
    pair_.swap(pair);
  }

  // Byte j of lane k goes to out[8 * j + k], so the step loop reads all lanes through one pointer.
  static void Transpose(const uint8_t* const* p, size_t m, uint8_t* out) {
    size_t j = 0;
#if defined(__SSE2__)
    for (; j + 16 <= m; j += 16) {
      const __m128i a0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p[0] + j));
      const __m128i a1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p[1] + j));
      const __m128i a2 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p[2] + j));
      const __m128i a3 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p[3] + j));
      const __m128i a4 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p[4] + j));
      const __m128i a5 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p[5] + j));
      const __m128i a6 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p[6] + j));
      const __m128i a7 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p[7] + j));
      // Bytes of lanes (0,1), (2,3), ... paired per column, then quads, then all eight.
      const __m128i b01l = _mm_unpacklo_epi8(a0, a1), b01h = _mm_unpackhi_epi8(a0, a1);
      const __m128i b23l = _mm_unpacklo_epi8(a2, a3), b23h = _mm_unpackhi_epi8(a2, a3);
      const __m128i b45l = _mm_unpacklo_epi8(a4, a5), b45h = _mm_unpackhi_epi8(a4, a5);
      const __m128i b67l = _mm_unpacklo_epi8(a6, a7), b67h = _mm_unpackhi_epi8(a6, a7);
      const __m128i c0 = _mm_unpacklo_epi16(b01l, b23l), c1 = _mm_unpackhi_epi16(b01l, b23l);
      const __m128i c2 = _mm_unpacklo_epi16(b01h, b23h), c3 = _mm_unpackhi_epi16(b01h, b23h);
      const __m128i d0 = _mm_unpacklo_epi16(b45l, b67l), d1 = _mm_unpackhi_epi16(b45l, b67l);
      const __m128i d2 = _mm_unpacklo_epi16(b45h, b67h), d3 = _mm_unpackhi_epi16(b45h, b67h);
      __m128i* o = reinterpret_cast<__m128i*>(out + 8 * j);
      _mm_storeu_si128(o + 0, _mm_unpacklo_epi32(c0, d0));
      _mm_storeu_si128(o + 1, _mm_unpackhi_epi32(c0, d0));
      _mm_storeu_si128(o + 2, _mm_unpacklo_epi32(c1, d1));
      _mm_storeu_si128(o + 3, _mm_unpackhi_epi32(c1, d1));
      _mm_storeu_si128(o + 4, _mm_unpacklo_epi32(c2, d2));
      _mm_storeu_si128(o + 5, _mm_unpackhi_epi32(c2, d2));
      _mm_storeu_si128(o + 6, _mm_unpacklo_epi32(c3, d3));
      _mm_storeu_si128(o + 7, _mm_unpackhi_epi32(c3, d3));
    }
#endif
    for (; j < m; j++)
      for (int k = 0; k < kLanes; k++) out[8 * j + k] = p[k][j];
  }

  // Steps all lanes over m transposed bytes, storing every state (out[8 * j + k], as the input). Only the
  // dependent loads are in the loop; which states report is found afterwards, out of the critical path.
  __attribute__((noinline)) SIGREP_NO_SLP static void Step8(const uint32_t* __restrict trans, const uint8_t* __restrict cls,
                                              const uint8_t* __restrict in, size_t m, uint32_t* st,
                                              uint32_t* __restrict out) {
    uint32_t s0 = st[0], s1 = st[1], s2 = st[2], s3 = st[3], s4 = st[4], s5 = st[5], s6 = st[6], s7 = st[7];
    for (const uint8_t* end = in + 8 * m; in != end; in += 8, out += 8) {
      s0 = trans[size_t(s0) + cls[in[0]]];
      out[0] = s0;
      s1 = trans[size_t(s1) + cls[in[1]]];
      out[1] = s1;
      s2 = trans[size_t(s2) + cls[in[2]]];
      out[2] = s2;
      s3 = trans[size_t(s3) + cls[in[3]]];
      out[3] = s3;
      s4 = trans[size_t(s4) + cls[in[4]]];
      out[4] = s4;
      s5 = trans[size_t(s5) + cls[in[5]]];
      out[5] = s5;
      s6 = trans[size_t(s6) + cls[in[6]]];
      out[6] = s6;
      s7 = trans[size_t(s7) + cls[in[7]]];
      out[7] = s7;
    }
    st[0] = s0;
    st[1] = s1;
    st[2] = s2;
    st[3] = s3;
    st[4] = s4;
    st[5] = s5;
    st[6] = s6;
    st[7] = s7;
  }

  // Copies the reporting states among 8 * m stored ones to record, tagged with their lane, in order.
  static uint32_t CompactScalar(const uint32_t* states, size_t m, uint32_t mf, uint32_t* __restrict record) {
    uint32_t c = 0;
    for (size_t i = 0; i < 8 * m; i++) {
      const uint32_t s = states[i];
      record[c] = s | (uint32_t(i & 7) << kTagShift);
      c += s >= mf;
    }
    return c;
  }

#if defined(SIGREP_STREAMS_AVX2)
  // The same with AVX2: per step, the eight states are compared at once and the reporting ones packed to
  // the front by a permutation looked up from the compare mask.
  __attribute__((target("avx2,popcnt"))) static uint32_t CompactAvx2(const uint32_t* states, size_t m, uint32_t mf,
                                                                    uint32_t* __restrict record) {
    const __m256i tags = _mm256_setr_epi32(0, 1 << kTagShift, 2 << kTagShift, 3 << kTagShift, int(4u << kTagShift),
                                           int(5u << kTagShift), int(6u << kTagShift), int(7u << kTagShift));
    const __m256i below = _mm256_set1_epi32(int(mf - 1));  // ids < 2^29: signed compare is exact
    const uint64_t* perms = PackPermutations();
    uint32_t c = 0;
    for (size_t j = 0; j < m; j++) {
      const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(states + 8 * j));
      const uint32_t mask = uint32_t(_mm256_movemask_ps(_mm256_castsi256_ps(_mm256_cmpgt_epi32(v, below))));
      const __m256i idx = _mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(perms + mask)));
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(record + c),
                          _mm256_permutevar8x32_epi32(_mm256_or_si256(v, tags), idx));
      c += uint32_t(__builtin_popcount(mask));
    }
    return c;
  }

  // Per 8-bit mask, the indexes of its set bits, ascending, one per byte.
  static const uint64_t* PackPermutations() {
    static const struct Table {
      uint64_t v[256];
      Table() {
        for (uint32_t mask = 0; mask < 256; mask++) {
          uint64_t packed = 0;
          int at = 0;
          for (uint32_t k = 0; k < 8; k++)
            if (mask & (1u << k)) packed |= uint64_t(k) << (8 * at++);
          v[mask] = packed;
        }
      }
    } table;
    return table.v;
  }
#endif

  static uint32_t Step1(const uint32_t* __restrict trans, const uint8_t* __restrict cls, uint32_t mf,
                        const uint8_t* p, uint32_t* st, size_t m, uint32_t tag, uint32_t* __restrict record) {
    uint32_t s = *st;
    uint32_t c = 0;
    for (size_t j = 0; j < m; j++) {
      s = trans[s + cls[p[j]]];
      record[c] = s | tag;
      c += s >= mf;
    }
    *st = s;
    return c;
  }

  // Reads the recorded states in order: a marker ends its lane's line, any other adds its literals. The
  // outputs are found from the state id by arithmetic (no load from the big table) and only appended here;
  // a line's common literals come up again and again, and whether one is new is decided in bulk (Absorb).
  void Replay(uint32_t count) {
    // A lane gets at most one record per step, a record at most two raw ids (more go straight to Absorb).
    for (Lane& lane : lanes_)
      if (lane.raw_count + 2 * kBlock > kRawCap) Absorb(lane);
    const uint32_t mf = match_from_;
    const uint64_t recip = stride_recip_;
    const uint64_t* pair = pair_.data();
    for (uint32_t r = 0; r < count; r++) {
      const uint32_t v = record_[r];
      Lane& lane = lanes_[v >> kTagShift];
      const uint32_t s = v & kStateMask;
      if (s == marker_) {
        EndLine(lane);
        continue;
      }
      const uint64_t e = pair[uint32_t((uint64_t(s - mf) * recip) >> 40)];
      const uint32_t a = uint32_t(e), b = uint32_t(e >> 32);
      if (__builtin_expect(b == kMany, 0)) {
        Absorb(lane);
        for (uint32_t o = out_start_[a]; o < out_start_[a + 1]; o++) Mark(lane, out_lits_[o]);
        continue;
      }
      uint32_t* raw = lane.raw.data();
      const uint32_t n = lane.raw_count;
      raw[n] = a;
      raw[n + 1] = b;
      lane.raw_count = n + 1 + (a != b);
    }
  }

  // Adds an id to the line's set; branch-free, as whether it is new is a coin toss on real lines.
  static inline void Mark(Lane& lane, uint32_t id) {
    uint64_t* seen = lane.seen.data();
    const uint64_t word = seen[id >> 6];
    const uint64_t marked = word | (uint64_t(1) << (id & 63));
    seen[id >> 6] = marked;
    lane.distinct[lane.distinct_count] = id;
    lane.distinct_count += marked != word;
  }

  static void Absorb(Lane& lane) {
    uint64_t* seen = lane.seen.data();
    uint32_t* distinct = lane.distinct.data();
    uint32_t d = lane.distinct_count;
    const uint32_t* raw = lane.raw.data();
    for (uint32_t i = 0, n = lane.raw_count; i < n; i++) {
      const uint32_t id = raw[i];
      const uint64_t word = seen[id >> 6];
      const uint64_t marked = word | (uint64_t(1) << (id & 63));
      seen[id >> 6] = marked;
      distinct[d] = id;
      d += marked != word;
    }
    lane.distinct_count = d;
    lane.raw_count = 0;
  }

  // Writes the lane's line out (ids ascending), clears its marks and moves to the next line.
  void EndLine(Lane& lane) {
    const uint32_t line = lane.line++;
    Absorb(lane);
    const uint32_t n = lane.distinct_count;
    if (n == 0) return;
    lane.distinct_count = 0;
    std::vector<uint32_t>& flat = *flat_;
    const size_t at = flat.size();
    hit_start_[line] = uint32_t(at);
    hit_count_[line] = n;
    flat.resize(at + n);
    uint32_t* out = flat.data() + at;
    uint64_t* seen = lane.seen.data();
    if (size_t(n) * 8 >= words_) {
      // Many hits: the marks are the sorted set; read and clear them word by word.
      for (uint32_t w = 0; w < words_; w++) {
        for (uint64_t bits = seen[w]; bits != 0; bits &= bits - 1) *out++ = w * 64 + uint32_t(__builtin_ctzll(bits));
        seen[w] = 0;
      }
    } else {
      uint32_t* ids = lane.distinct.data();
      std::sort(ids, ids + n);
      std::memcpy(out, ids, n * sizeof(uint32_t));
      for (uint32_t i = 0; i < n; i++) seen[ids[i] >> 6] = 0;
    }
  }

  std::vector<uint32_t> trans_;
  uint8_t class_of_[256];
  uint32_t stride_ = 0;
  uint32_t nl_class_ = 0;
  uint32_t match_from_ = 0;
  uint32_t marker_ = 0;
  bool tuned_ = false;
  uint64_t stride_recip_ = 0;
  std::vector<uint32_t> out_start_, out_lits_;
  std::vector<uint64_t> pair_;
  uint32_t words_ = 0;
  Lane lanes_[kLanes];
  uint32_t (*compact_)(const uint32_t*, size_t, uint32_t, uint32_t*) = &CompactScalar;
  alignas(64) uint8_t block_[kLanes * kBlock];      // the lanes' next bytes, transposed
  alignas(64) uint32_t states_[kLanes * kBlock];    // the states after each of them
  alignas(64) uint32_t record_[kLanes * kBlock + 8];  // reporting states, tagged (AVX2 stores 8 at a time)
  uint32_t* hit_start_ = nullptr;
  uint32_t* hit_count_ = nullptr;
  std::vector<uint32_t>* flat_ = nullptr;
};

}  // namespace sigrep
