// sigrep JSON line status and gate fields, native engine. Same contract as
// src/engine/line-prefilter/json-line-status.ts, written apart so the shared tests compare two implementations.
//
// Status: is a line a JSON text whose top value is an object, exactly as JSON.parse decides on the line
// decoded as UTF-8?
// - Iterative with an explicit stack of open containers that grows on the heap: Node's JSON.parse is
//   iterative too and accepts any depth, so there is no depth limit (kJsonStackInitialDepth is a size hint).
// - No UTF-8 check: decoding maps invalid sequences to U+FFFD without swallowing ASCII bytes, so inside a
//   string every byte >= 0x80 is accepted by JSON.parse, and outside one it is an error regardless.
//
// Gates: while it walks a valid line, the validator also reads the values of a few named keys (EventID,
// Channel...) so the engine can drop rules whose logsource gate fails without decoding the line. A gate's
// code is the id of its value in the gate's dictionary (values folded to ASCII lower case), or OTHER (the
// key holds a known value not in the dictionary), ABSENT (no such key), or UNKNOWN whenever the bytes
// alone cannot say what the engine's field index would see: the key twice, a container value, an escape or
// a non-ASCII byte in the value, a key with an escape or a space, an alias key (winlog's event_id), or a
// string that may hold embedded JSON. UNKNOWN never drops a rule, so every doubt costs speed, not matches.

#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
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

// From just past the opening quote; returns the pointer past the closing quote, or nullptr.
inline const uint8_t* SkipString(const uint8_t* p, const uint8_t* end) {
  for (;;) {
#if defined(__SSE2__)
    {
      const __m128i quote = _mm_set1_epi8('"');
      const __m128i backslash = _mm_set1_epi8('\\');
      const __m128i below = _mm_set1_epi8(0x1f);
      // Sixteen bytes at a time; unsigned v <= 0x1f  <=>  min(v, 0x1f) == v.
      while (end - p >= 16) {
        __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        __m128i ctrl = _mm_cmpeq_epi8(_mm_min_epu8(v, below), v);
        __m128i bs = _mm_cmpeq_epi8(v, backslash);
        unsigned stop = unsigned(_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, quote), ctrl)));
        unsigned esc = unsigned(_mm_movemask_epi8(bs));
        unsigned all = stop | esc;
        // Two-byte escapes (all but \u) are consumed here without leaving the block: Windows paths are
        // full of them. A quote, a control byte, \u or an escape split across blocks goes to the scalar code.
        while (all != 0) {
          unsigned k = unsigned(__builtin_ctz(all));
          if (!((esc >> k) & 1) || k == 15 || !Is(p[k + 1], kEsc)) {
            p += k;
            goto scalar;
          }
          unsigned pair = 3u << k;
          all &= ~pair;
          esc &= ~pair;
        }
        p += 16;
      }
    }
  scalar:
#endif
    while (p < end && Is(*p, kStrPlain)) ++p;
    if (p == end) return nullptr;
    uint8_t c = *p;
    if (c == '"') return p + 1;
    if (c != '\\') return nullptr;  // a raw control byte
    if (++p == end) return nullptr;
    uint8_t e = *p;
    if (Is(e, kEsc)) {
      ++p;
    } else if (e == 'u') {
      if (end - p < 5 || !(kJson.c[p[1]] & kJson.c[p[2]] & kJson.c[p[3]] & kJson.c[p[4]] & kHex)) return nullptr;
      p += 5;
    } else {
      return nullptr;
    }
  }
}

// From the number's first byte ('-' or a digit); returns the pointer past it, or nullptr.
inline const uint8_t* SkipNumber(const uint8_t* p, const uint8_t* end) {
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

class JsonLineValidator {
 public:
  JsonLineValidator() { stack_.resize(kJsonStackInitialDepth); }

  void SetGates(std::vector<GateField> gates) {
    gates_ = std::move(gates);
    min_key_ = SIZE_MAX;
    for (const GateField& g : gates_) {
      min_key_ = std::min(min_key_, g.name.size());
      for (const std::string& a : g.aliases) min_key_ = std::min(min_key_, a.size());
    }
  }
  size_t GateCount() const { return gates_.size(); }

  // `codes` receives GateCount() entries (UNKNOWN unless the line is a valid object).
  uint8_t Status(const uint8_t* p, const uint8_t* end, uint16_t* codes) {
    const size_t g = gates_.size();
    codes_ = codes;
    for (size_t k = 0; k < g; k++) codes[k] = kGateAbsent;
    p = SkipWs(p, end);
    uint8_t status = (p == end || *p != '{') ? kJsonNotObject : (Parse(p, end) ? kJsonValid : kJsonInvalid);
    if (status != kJsonValid)
      for (size_t k = 0; k < g; k++) codes[k] = kGateUnknown;
    return status;
  }

 private:
  enum : uint8_t { kInObject = 1, kInArray = 2 };

  void AllUnknown() {
    for (size_t k = 0; k < gates_.size(); k++) codes_[k] = kGateUnknown;
  }

  // A key's raw bytes (between the quotes): which gate's value follows, or -1. Keys shorter than every
  // gate name and alias cannot be one, not even after decoding escapes or dropping spaces.
  int OnKey(const uint8_t* s, const uint8_t* e) {
    size_t n = size_t(e - s);
    if (n < min_key_) return -1;
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
  void OnGateValue(size_t k, const uint8_t* s, const uint8_t* e, bool quoted) {
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
  void CheckEmbedded(const uint8_t* s, const uint8_t* e) {
    if (s == e || *s != '{') return;
    ++s;
    while (s < e && *s == ' ') ++s;
    if (s < e && *s == '\\') AllUnknown();
  }

  // One JSON text from p (its first byte) to exactly end, trailing whitespace allowed.
  bool Parse(const uint8_t* p, const uint8_t* end) {
    size_t depth = 0;
    const bool gates = !gates_.empty();
    int pending = -1;  // the gate whose value comes next
    // Labels are the parser's states; each is entered with whitespace still to skip.
  value:
    p = SkipWs(p, end);
    if (p == end) return false;
    switch (*p) {
      case '{':
      case '[': {
        if (pending >= 0) {
          codes_[pending] = kGateUnknown;
          pending = -1;
        }
        uint8_t kind = *p == '{' ? kInObject : kInArray;
        if (depth == stack_.size()) stack_.resize(stack_.size() * 2);
        stack_[depth++] = kind;
        p = SkipWs(p + 1, end);
        if (p == end) return false;
        if (*p == (kind == kInObject ? '}' : ']')) {
          --depth;
          ++p;
          goto after;
        }
        if (kind == kInObject) goto key;
        goto value;
      }
      case '"': {
        const uint8_t* s = p + 1;
        p = SkipString(s, end);
        if (!p) return false;
        if (gates) {
          CheckEmbedded(s, p - 1);
          if (pending >= 0) {
            OnGateValue(size_t(pending), s, p - 1, true);
            pending = -1;
          }
        }
        goto after;
      }
      case '-':
      case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8': case '9': {
        const uint8_t* s = p;
        p = SkipNumber(p, end);
        if (!p) return false;
        if (pending >= 0) {
          OnGateValue(size_t(pending), s, p, false);
          pending = -1;
        }
        goto after;
      }
      case 't':
        if (!Word(p, end, "true", 4)) return false;
        if (pending >= 0) {
          OnGateValue(size_t(pending), p, p + 4, false);
          pending = -1;
        }
        p += 4;
        goto after;
      case 'f':
        if (!Word(p, end, "false", 5)) return false;
        if (pending >= 0) {
          OnGateValue(size_t(pending), p, p + 5, false);
          pending = -1;
        }
        p += 5;
        goto after;
      case 'n':
        if (!Word(p, end, "null", 4)) return false;
        if (pending >= 0) {
          OnGateValue(size_t(pending), p, p + 4, false);
          pending = -1;
        }
        p += 4;
        goto after;
      default:
        return false;
    }
  key:
    p = SkipWs(p, end);
    if (p == end || *p != '"') return false;
    {
      const uint8_t* s = p + 1;
      p = SkipString(s, end);
      if (!p) return false;
      if (gates) pending = OnKey(s, p - 1);
    }
    p = SkipWs(p, end);
    if (p == end || *p != ':') return false;
    ++p;
    goto value;
  after:
    p = SkipWs(p, end);
    if (depth == 0) return p == end;
    if (p == end) return false;
    {
      uint8_t top = stack_[depth - 1];
      uint8_t c = *p++;
      if (c == ',') {
        if (top == kInObject) goto key;
        goto value;
      }
      if ((c == '}' && top == kInObject) || (c == ']' && top == kInArray)) {
        --depth;
        goto after;
      }
      return false;
    }
  }

  std::vector<uint8_t> stack_;
  std::vector<GateField> gates_;
  size_t min_key_ = SIZE_MAX;
  uint16_t* codes_ = nullptr;
  std::string key_;
};

}  // namespace
