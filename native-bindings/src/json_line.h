// sigrep JSON line status and gate fields, native engine. Same contract as
// src/engine/line-prefilter/json-line-status.ts, written apart so the shared tests compare two implementations.
//
// Status: is a line a JSON text whose top value is an object, exactly as JSON.parse decides on the line
// decoded as UTF-8?
// - Iterative with an explicit stack of open containers that grows on the heap: Node's JSON.parse is
//   iterative too and accepts any depth, so there is no depth limit (kJsonStackInitialDepth is a size hint).
// - No UTF-8 check: decoding maps invalid sequences to U+FFFD without swallowing ASCII bytes, so inside a
//   string every byte >= 0x80 is accepted by JSON.parse, and outside one it is an error regardless.
// - Strings (94% of the bytes of Windows event JSON) are skipped a block at a time (json_line_kernel.inc,
//   compiled for SSE2 and, chosen at run time, AVX2). A block may read past the line's end up to `limit`,
//   the end of the caller's buffer, and masks those bytes off: a short string near a line's end then costs
//   one block like any other, with no bytewise tail.
//
// Gates: while it walks a valid line, the validator can also read the values of a few named keys (EventID,
// Channel...) so the engine can drop rules whose logsource gate fails without decoding the line. A gate's
// code is the id of its value in the gate's dictionary (values folded to ASCII lower case), or OTHER (the
// key holds a known value not in the dictionary), ABSENT (no such key), or UNKNOWN whenever the bytes
// alone cannot say what the engine's field index would see: the key twice, a container value, an escape or
// a non-ASCII byte in the value, a key with an escape or a space, an alias key (winlog's event_id), or a
// string that may hold embedded JSON. UNKNOWN never drops a rule, so every doubt costs speed, not matches.
// The caller says per line whether it wants the gates (only candidate lines need them); a line read
// without gates runs a parse instantiated without any gate code and gets UNKNOWN for every gate.

#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

#include "simd_target.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__SSE2__) && defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#include <immintrin.h>
#define SIGREP_JSON_AVX2_DISPATCH 1
#endif

namespace {

constexpr uint8_t kJsonNotObject = 0;
constexpr uint8_t kJsonValid = 1;
constexpr uint8_t kJsonInvalid = 2;
constexpr size_t kJsonStackInitialDepth = 1024;

constexpr uint16_t kGateUnknown = 0xffff;
constexpr uint16_t kGateAbsent = 0xfffe;
constexpr uint16_t kGateOther = 0xfffd;
constexpr uint32_t kMaxGateValues = 0xfffd;
constexpr size_t kMaxGates = 8;

enum : uint8_t { kWs = 1, kStrPlain = 2, kDigit = 4, kHex = 8, kEsc = 16, kSpace = 32, kBackslash = 64 };

struct JsonClasses {
  uint8_t c[256];
  constexpr JsonClasses() : c() {
    for (int b = 0x20; b < 256; b++)
      if (b != '"' && b != '\\') c[b] |= kStrPlain;
    c['\\'] |= kBackslash;
    c[' '] |= kWs | kSpace;
    c['\t'] |= kWs;
    c['\n'] |= kWs;
    c['\r'] |= kWs;
    for (int b = '0'; b <= '9'; b++) c[b] |= kDigit | kHex;
    for (int b = 'a'; b <= 'f'; b++) c[b] |= kHex;
    for (int b = 'A'; b <= 'F'; b++) c[b] |= kHex;
    const char* esc = "\"\\/bfnrt";
    for (int k = 0; esc[k]; k++) c[uint8_t(esc[k])] |= kEsc;
  }
};
constexpr JsonClasses kJson;

inline bool Is(uint8_t b, uint8_t cls) { return (kJson.c[b] & cls) != 0; }

inline const uint8_t* SkipWs(const uint8_t* p, const uint8_t* end) {
  while (p < end && Is(*p, kWs)) ++p;
  return p;
}

inline bool Hex4(const uint8_t* p) { return (kJson.c[p[0]] & kJson.c[p[1]] & kJson.c[p[2]] & kJson.c[p[3]] & kHex) != 0; }

// From the number's first byte ('-' or a digit); returns the pointer past it, or nullptr.
inline __attribute__((always_inline)) const uint8_t* SkipNumber(const uint8_t* p, const uint8_t* end) {
  if (*p == '-') ++p;
  if (p == end) return nullptr;
  if (*p == '0') {
    ++p;
  } else if (Is(*p, kDigit)) {
    while (p < end && Is(*p, kDigit)) ++p;
  } else {
    return nullptr;
  }
  if (p < end && *p == '.') {
    ++p;
    if (p == end || !Is(*p, kDigit)) return nullptr;
    while (p < end && Is(*p, kDigit)) ++p;
  }
  if (p < end && (*p == 'e' || *p == 'E')) {
    ++p;
    if (p < end && (*p == '+' || *p == '-')) ++p;
    if (p == end || !Is(*p, kDigit)) return nullptr;
    while (p < end && Is(*p, kDigit)) ++p;
  }
  return p;
}

inline bool Word(const uint8_t* p, const uint8_t* end, const char* w, size_t n) {
  return size_t(end - p) >= n && std::memcmp(p, w, n) == 0;
}

inline uint8_t FoldByte(uint8_t b) { return (b >= 'A' && b <= 'Z') ? uint8_t(b + 32) : b; }

// One gate field: the key's exact bytes, keys that alias it (their presence makes it UNKNOWN), and the
// dictionary of folded values the rules test.
struct GateField {
  std::string name;
  std::vector<std::string> aliases;
  std::unordered_map<std::string, uint16_t> values;
};

// Digits of a plain positive integer that JavaScript holds exactly: only such a token's text is the text
// String(n) gives back (3.0, 3e0, -0 and 20-digit numbers are not).
inline bool PlainInteger(const uint8_t* s, const uint8_t* e) {
  size_t n = size_t(e - s);
  if (n == 0 || n > 15) return false;
  if (s[0] == '0') return n == 1;
  for (const uint8_t* q = s; q < e; ++q)
    if (!Is(*q, kDigit)) return false;
  return true;
}

// What the parse reports to while it reads gates: kept out of the SIMD kernels (called only from the
// kGates instantiation, for keys, string values and the pending gate's value).
class JsonGateReader {
 public:
  void SetGates(std::vector<GateField> gates) {
    gates_ = std::move(gates);
    min_key_ = SIZE_MAX;
    key_lengths_ = 0;
    auto note = [&](size_t n) {
      min_key_ = std::min(min_key_, n);
      key_lengths_ |= n < 64 ? uint64_t(1) << n : 0;
    };
    for (const GateField& g : gates_) {
      note(g.name.size());
      for (const std::string& a : g.aliases) note(a.size());
    }
  }
  size_t Count() const { return gates_.size(); }
  // Values in gate k's dictionary (its codes' radix, less the three special codes).
  size_t ValueCount(size_t k) const { return gates_[k].values.size(); }
  void Begin(uint16_t* codes) { codes_ = codes; }

  __attribute__((noinline)) void AllUnknown() {
    for (size_t k = 0; k < gates_.size(); k++) codes_[k] = kGateUnknown;
  }
  void Unknown(int k) { codes_[k] = kGateUnknown; }

  // A key's raw bytes (between the quotes): which gate's value follows, or -1. Keys shorter than every
  // gate name and alias cannot be one, not even after decoding escapes or dropping spaces.
  // Inline in the parse: most keys are neither as long as a name or alias nor hold a space or a
  // backslash, and a call would spill the parse's registers.
  inline __attribute__((always_inline)) int OnKey(const uint8_t* s, const uint8_t* e) {
    size_t n = size_t(e - s);
    if (n < min_key_) return -1;
    if ((n >= 64 || !((key_lengths_ >> n) & 1)) && !SpaceOrBackslash(s, e)) return -1;
    return OnRareKey(s, e);
  }
  __attribute__((noinline)) int OnRareKey(const uint8_t* s, const uint8_t* e) {
    size_t n = size_t(e - s);
    uint8_t flags = 0;
    for (const uint8_t* q = s; q < e; ++q) flags |= kJson.c[*q];
    if (flags & kBackslash) {
      AllUnknown();  // an escaped key may decode to a gate's name
      return -1;
    }
    for (size_t k = 0; k < gates_.size(); k++) {
      const GateField& g = gates_[k];
      if (g.name.size() == n && std::memcmp(g.name.data(), s, n) == 0) return int(k);
      for (const std::string& a : g.aliases)
        if (a.size() == n && std::memcmp(a.data(), s, n) == 0) codes_[k] = kGateUnknown;
    }
    if (flags & kSpace) {
      // The field index also files "Event ID" under "EventID".
      std::string squeezed;
      for (const uint8_t* q = s; q < e; ++q)
        if (*q != ' ') squeezed.push_back(char(*q));
      for (size_t k = 0; k < gates_.size(); k++)
        if (squeezed == gates_[k].name) codes_[k] = kGateUnknown;
    }
    return -1;
  }

  // The value of gate k spans [s, e): a string's content (quoted), or a bare token.
  __attribute__((noinline)) void OnGateValue(size_t k, const uint8_t* s, const uint8_t* e, bool quoted) {
    uint16_t& code = codes_[k];
    if (code != kGateAbsent) {
      code = kGateUnknown;  // the key twice (JSON.parse keeps the last; the field index sees every depth)
      return;
    }
    if (quoted) {
      for (const uint8_t* q = s; q < e; ++q) {
        if (*q == '\\' || *q >= 0x80) {
          code = kGateUnknown;
          return;
        }
      }
    } else if (*s == 'n') {
      code = kGateOther;  // null: no text, matches no value test
      return;
    } else if (*s != 't' && *s != 'f' && !PlainInteger(s, e)) {
      code = kGateUnknown;
      return;
    }
    key_.assign(reinterpret_cast<const char*>(s), size_t(e - s));
    for (char& c : key_) c = char(FoldByte(uint8_t(c)));
    auto it = gates_[k].values.find(key_);
    code = it == gates_[k].values.end() ? kGateOther : it->second;
  }

  // A string value that may be JSON (`{"...`, with the quote escaped in the raw bytes) is parsed again by
  // the field index, and its keys count: no gate can be known.
  inline __attribute__((always_inline)) void CheckEmbedded(const uint8_t* s, const uint8_t* e) {
    if (s == e || *s != '{') return;
    ++s;
    while (s < e && *s == ' ') ++s;
    if (s < e && *s == '\\') AllUnknown();
  }

 private:
  // Eight bytes at a time, no bytewise tail: a byte is zero in x ^ c exactly where x holds c (no borrow
  // across bytes).
  static inline __attribute__((always_inline)) bool SpaceOrBackslash(const uint8_t* s, const uint8_t* e) {
    constexpr uint64_t kLow7 = 0x7f7f7f7f7f7f7f7full;
    auto zero = [](uint64_t x) { return ~(((x & kLow7) + kLow7) | x | kLow7); };
    auto has = [&](const uint8_t* q) {
      uint64_t x;
      std::memcpy(&x, q, 8);
      return (zero(x ^ 0x2020202020202020ull) | zero(x ^ 0x5c5c5c5c5c5c5c5cull)) != 0;
    };
    if (e - s < 8) {
      for (; s < e; ++s)
        if (*s == ' ' || *s == '\\') return true;
      return false;
    }
    for (; e - s > 8; s += 8)
      if (has(s)) return true;
    return has(e - 8);  // the last eight bytes, overlapping the words before

  }

  std::vector<GateField> gates_;
  size_t min_key_ = SIZE_MAX;
  uint64_t key_lengths_ = 0;  // bit n: some name or alias is n bytes long (n < 64)
  uint16_t* codes_ = nullptr;
  std::string key_;
};

// The parse, once per instruction set. Each namespace defines SIGREP_JSON_BLOCKS, and kWidth, Masks() and
// EscapeBytes() when it reads blocks, before including the kernel. The scalar one (bytewise, no blocks) is
// the fallback off x86 and a second opinion in the tests.
namespace json_scalar {
using Mask = uint32_t;
#define SIGREP_JSON_BLOCKS 0
#include "json_line_kernel.inc"
#undef SIGREP_JSON_BLOCKS
}  // namespace json_scalar

#if defined(__SSE2__)
namespace json_sse2 {
// Two loads a block: the next string more often starts inside the last block (see Block in the kernel).
constexpr size_t kWidth = 32;
using Mask = uint32_t;
struct BlockMasks {
  Mask quote, backslash, ctrl;
};
inline Mask Join(__m128i lo, __m128i hi) { return Mask(_mm_movemask_epi8(lo)) | (Mask(_mm_movemask_epi8(hi)) << 16); }
inline BlockMasks Masks(const uint8_t* p) {
  const __m128i lo = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i hi = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16));
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), below = _mm_set1_epi8(0x1f);
  // Unsigned v <= 0x1f  <=>  min(v, 0x1f) == v.
  return {Join(_mm_cmpeq_epi8(lo, quote), _mm_cmpeq_epi8(hi, quote)), Join(_mm_cmpeq_epi8(lo, backslash), _mm_cmpeq_epi8(hi, backslash)),
          Join(_mm_cmpeq_epi8(_mm_min_epu8(lo, below), lo), _mm_cmpeq_epi8(_mm_min_epu8(hi, below), hi))};
}
inline __m128i EscapeBytes16(__m128i v) {
  auto eq = [&](char c) { return _mm_cmpeq_epi8(v, _mm_set1_epi8(c)); };
  const __m128i a = _mm_or_si128(_mm_or_si128(eq('"'), eq('\\')), _mm_or_si128(eq('/'), eq('b')));
  const __m128i b = _mm_or_si128(_mm_or_si128(eq('f'), eq('n')), _mm_or_si128(eq('r'), eq('t')));
  return _mm_or_si128(a, b);
}
inline Mask EscapeBytes(const uint8_t* p) {
  return Join(EscapeBytes16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))),
              EscapeBytes16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16))));
}
#define SIGREP_JSON_BLOCKS 1
#include "json_line_kernel.inc"
#undef SIGREP_JSON_BLOCKS
}  // namespace json_sse2
#endif

#if defined(SIGREP_JSON_AVX2_DISPATCH)
SIGREP_AVX2_BEGIN
namespace json_avx2 {
constexpr size_t kWidth = 32;
using Mask = uint32_t;
struct BlockMasks {
  Mask quote, backslash, ctrl;
};
inline BlockMasks Masks(const uint8_t* p) {
  const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  const __m256i ctrl = _mm256_cmpeq_epi8(_mm256_min_epu8(v, _mm256_set1_epi8(0x1f)), v);
  return {Mask(_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('"')))),
          Mask(_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('\\')))), Mask(_mm256_movemask_epi8(ctrl))};
}
// Nibble lookup (simdjson's classification): a byte is one of "\/bfnrt when the bit its high nibble
// selects is set in its low nibble's entry. High nibbles 2, 5, 6, 7 get bits 1, 2, 4, 8.
inline Mask EscapeBytes(const uint8_t* p) {
  const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  const __m256i hi_table = _mm256_setr_epi8(0, 0, 1, 0, 0, 2, 4, 8, 0, 0, 0, 0, 0, 0, 0, 0,  //
                                            0, 0, 1, 0, 0, 2, 4, 8, 0, 0, 0, 0, 0, 0, 0, 0);
  // Low nibble 2: " b r; 4: t; 6: f; C: \; E: n; F: /.
  const __m256i lo_table = _mm256_setr_epi8(0, 0, 1 | 4 | 8, 0, 8, 0, 4, 0, 0, 0, 0, 0, 2, 0, 4, 1,  //
                                            0, 0, 1 | 4 | 8, 0, 8, 0, 4, 0, 0, 0, 0, 0, 2, 0, 4, 1);
  const __m256i nibble = _mm256_set1_epi8(0x0f);
  const __m256i hi = _mm256_shuffle_epi8(hi_table, _mm256_and_si256(_mm256_srli_epi16(v, 4), nibble));
  const __m256i lo = _mm256_shuffle_epi8(lo_table, _mm256_and_si256(v, nibble));
  return ~Mask(_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_and_si256(hi, lo), _mm256_setzero_si256())));
}
#define SIGREP_JSON_BLOCKS 1
#include "json_line_kernel.inc"
#undef SIGREP_JSON_BLOCKS
}  // namespace json_avx2
SIGREP_AVX2_END
#endif

class JsonLineValidator {
 public:
  enum class Kernel { kScalar, kSse2, kAvx2 };

  JsonLineValidator() {
    stack_.resize(kJsonStackInitialDepth);
    UseKernel(Kernel::kAvx2);
  }

  // The widest kernel at most `want` that this build and CPU run. Results never depend on it.
  void UseKernel(Kernel want) {
    kernel_ = Kernel::kScalar;
    fast_ = &json_scalar::Parse<false>;
    gated_ = &json_scalar::Parse<true>;
#if defined(__SSE2__)
    if (want != Kernel::kScalar) {
      kernel_ = Kernel::kSse2;
      fast_ = &json_sse2::Parse<false>;
      gated_ = &json_sse2::Parse<true>;
    }
#endif
#if defined(SIGREP_JSON_AVX2_DISPATCH)
    if (want == Kernel::kAvx2 && __builtin_cpu_supports("avx2")) {
      kernel_ = Kernel::kAvx2;
      fast_ = &json_avx2::Parse<false>;
      gated_ = &json_avx2::Parse<true>;
    }
#endif
  }
  const char* KernelName() const {
    switch (kernel_) {
      case Kernel::kScalar:
        return "scalar";
      case Kernel::kSse2:
        return "sse2";
      case Kernel::kAvx2:
        return "avx2";
    }
    return "";
  }

  void SetGates(std::vector<GateField> gates) { gates_.SetGates(std::move(gates)); }
  size_t GateCount() const { return gates_.Count(); }
  size_t GateValueCount(size_t k) const { return gates_.ValueCount(k); }

  // Status of the line [p, end); bytes up to `limit` (>= end) may be read, never used. `codes` receives
  // GateCount() entries: read when `read_gates` and the line is a valid object, else all UNKNOWN.
  uint8_t Status(const uint8_t* p, const uint8_t* end, const uint8_t* limit, uint16_t* codes, bool read_gates) {
    const size_t g = gates_.Count();
    read_gates = read_gates && g > 0;
    p = SkipWs(p, end);
    uint8_t status;
    if (p == end || *p != '{') {
      status = kJsonNotObject;
    } else if (read_gates) {
      for (size_t k = 0; k < g; k++) codes[k] = kGateAbsent;
      gates_.Begin(codes);
      status = gated_(p, end, limit, stack_, gates_) ? kJsonValid : kJsonInvalid;
    } else {
      status = fast_(p, end, limit, stack_, gates_) ? kJsonValid : kJsonInvalid;
    }
    if (status != kJsonValid || !read_gates)
      for (size_t k = 0; k < g; k++) codes[k] = kGateUnknown;
    return status;
  }

 private:
  using ParseFn = bool (*)(const uint8_t*, const uint8_t*, const uint8_t*, std::vector<uint8_t>&, JsonGateReader&);
  std::vector<uint8_t> stack_;
  JsonGateReader gates_;
  Kernel kernel_ = Kernel::kScalar;
  ParseFn fast_ = nullptr;
  ParseFn gated_ = nullptr;
};

}  // namespace
