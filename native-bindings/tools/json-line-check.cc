// Standalone check of json_line.h under ASan/UBSan: every kernel (scalar, SSE2, AVX2 when the CPU has it)
// against a plain recursive-descent reference on random lines built to put strings, escapes, \u, control
// bytes and quotes on every offset of a block, plus deep nesting; gate codes of every kernel against the
// scalar kernel's. Each line sits in an exact-size heap buffer, and is checked twice: with the readable
// limit at the line's end (a block read past it is an ASan error) and with tricky bytes after it (which
// must never change the answer). The ava suite checks against JSON.parse itself; this one reaches the
// kernels the running CPU would not pick and catches reads out of bounds.
//
//   g++ -O1 -g -fsanitize=address,undefined -std=c++17 -Inative-bindings/src native-bindings/tools/json-line-check.cc -o /tmp/jlc && /tmp/jlc
//   g++ -O3 -std=c++17 -Inative-bindings/src native-bindings/tools/json-line-check.cc -o /tmp/jlc && /tmp/jlc 2000000
#include "json_line.h"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>

namespace {

// The reference: JSON grammar (RFC 8259) read byte by byte, recursion for nesting (depth-capped lines).
struct Ref {
  const uint8_t* p;
  const uint8_t* e;
  void Ws() {
    while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) ++p;
  }
  static bool IsHex(uint8_t c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
  bool Str() {
    ++p;  // the quote
    for (;;) {
      if (p == e) return false;
      uint8_t c = *p++;
      if (c == '"') return true;
      if (c < 0x20) return false;
      if (c != '\\') continue;
      if (p == e) return false;
      c = *p++;
      if (c == 'u') {
        for (int i = 0; i < 4; i++)
          if (p == e || !IsHex(*p++)) return false;
      } else if (!std::strchr("\"\\/bfnrt", c) || c == 0) {
        return false;
      }
    }
  }
  bool Digits() {
    if (p == e || *p < '0' || *p > '9') return false;
    while (p < e && *p >= '0' && *p <= '9') ++p;
    return true;
  }
  bool Num() {
    if (*p == '-') ++p;
    if (p == e) return false;
    if (*p == '0') ++p;
    else if (!Digits()) return false;
    if (p < e && *p == '.') {
      ++p;
      if (!Digits()) return false;
    }
    if (p < e && (*p == 'e' || *p == 'E')) {
      ++p;
      if (p < e && (*p == '+' || *p == '-')) ++p;
      if (!Digits()) return false;
    }
    return true;
  }
  bool Lit(const char* w) {
    size_t n = std::strlen(w);
    if (size_t(e - p) < n || std::memcmp(p, w, n) != 0) return false;
    p += n;
    return true;
  }
  bool Value() {
    Ws();
    if (p == e) return false;
    switch (*p) {
      case '"':
        return Str();
      case '{': {
        ++p;
        Ws();
        if (p < e && *p == '}') return ++p, true;
        for (;;) {
          Ws();
          if (p == e || *p != '"' || !Str()) return false;
          Ws();
          if (p == e || *p++ != ':') return false;
          if (!Value()) return false;
          Ws();
          if (p == e) return false;
          uint8_t c = *p++;
          if (c == '}') return true;
          if (c != ',') return false;
        }
      }
      case '[': {
        ++p;
        Ws();
        if (p < e && *p == ']') return ++p, true;
        for (;;) {
          if (!Value()) return false;
          Ws();
          if (p == e) return false;
          uint8_t c = *p++;
          if (c == ']') return true;
          if (c != ',') return false;
        }
      }
      case 't':
        return Lit("true");
      case 'f':
        return Lit("false");
      case 'n':
        return Lit("null");
      default:
        return (*p == '-' || (*p >= '0' && *p <= '9')) && Num();
    }
  }
  uint8_t Status() {
    Ws();
    if (p == e || *p != '{') return kJsonNotObject;
    if (!Value()) return kJsonInvalid;
    Ws();
    return p == e ? kJsonValid : kJsonInvalid;
  }
};

std::mt19937_64 rng(1);
size_t R(size_t n) { return size_t(rng() % n); }

// String bodies rich in what the block code decides on: escapes (also runs of backslashes), \u with good
// and bad digits, raw quotes and control bytes, bytes >= 0x80, at random lengths so they land anywhere.
std::string Body() {
  static const char* pieces[] = {"a", "abcdefghijklmnop", "\\\\", "\\\"", "\\n", "\\r\\n", "\\/", "\\u00e9", "\\u12G4",
                                 "\\x", "\\", "\"", "\x01", "\x1f", "\x7f", "\xc3\xa9", "\xff", " ", "{", "C:\\\\Windows\\\\"};
  std::string s(R(40), 'x');
  for (size_t n = R(8); n > 0; n--) {
    s += pieces[R(sizeof pieces / sizeof *pieces)];
    s += std::string(R(3) == 0 ? R(40) : R(4), 'y');
  }
  return s;
}

std::string Value(int depth);

std::string Object(int depth) {
  std::string s = "{";
  static const char* keys[] = {"EventID", "Channel", "Event ID", "event_id", "Image", "k", "Message", "Ev\\u0065ntID"};
  for (size_t n = R(6); n > 0; n--) {
    if (s.size() > 1) s += R(20) ? "," : ",,";
    s += R(10) ? std::string("\"") + keys[R(8)] + "\"" : "\"" + Body() + "\"";
    s += R(8) ? ":" : " : ";
    s += Value(depth + 1);
  }
  return s + (R(40) ? "}" : "");
}

std::string Value(int depth) {
  switch (depth > 6 ? R(4) : R(7)) {
    case 0:
      return "\"" + Body() + "\"";
    case 1: {
      static const char* nums[] = {"3", "4688", "-0", "0.5e3", "01", "1.", "-", "1e+", "123456789012345678", "3.0"};
      return nums[R(10)];
    }
    case 2: {
      static const char* words[] = {"true", "false", "null", "nul", "tru", "nulll"};
      return words[R(6)];
    }
    case 3:
      return "\"" + std::string(R(70), 'z') + "\"";
    case 4:
    case 5:
      return Object(depth);
    default: {
      std::string s = "[";
      for (size_t n = R(4); n > 0; n--) s += (s.size() > 1 ? "," : "") + Value(depth + 1);
      return s + "]";
    }
  }
}

std::string Line() {
  if (R(50) == 0) {  // deeper than the validator's initial stack
    size_t d = 1000 + R(200);
    std::string s = "{\"a\":" + std::string(d, '[') + std::string(d - R(2), ']') + "}";
    return s;
  }
  std::string s = (R(10) == 0 ? " " : "") + Object(0);
  if (R(4) == 0 && !s.empty()) s.resize(R(s.size()));       // cut anywhere
  if (R(4) == 0 && !s.empty()) s[R(s.size())] = char(R(256));  // one byte changed
  if (R(10) == 0) s += R(2) ? " \t" : "x";
  return s;
}

std::vector<GateField> Gates() {
  std::vector<GateField> g(2);
  g[0].name = "EventID";
  g[0].aliases = {"event_id"};
  g[0].values = {{"3", 0}, {"4688", 1}};
  g[1].name = "Channel";
  g[1].values = {{"security", 0}};
  return g;
}

}  // namespace

int main(int argc, char** argv) {
  const long iterations = argc > 1 ? std::atol(argv[1]) : 200000;
  using K = JsonLineValidator::Kernel;
  JsonLineValidator kernels[3];
  kernels[0].UseKernel(K::kScalar);
  kernels[1].UseKernel(K::kSse2);
  kernels[2].UseKernel(K::kAvx2);
  for (auto& v : kernels) v.SetGates(Gates());
  std::printf("kernels: %s %s %s\n", kernels[0].KernelName(), kernels[1].KernelName(), kernels[2].KernelName());
  long counts[3] = {0, 0, 0};
  for (long it = 0; it < iterations; it++) {
    const std::string line = Line();
    const size_t n = line.size();
    Ref ref{reinterpret_cast<const uint8_t*>(line.data()), reinterpret_cast<const uint8_t*>(line.data()) + n};
    const uint8_t want = ref.Status();
    counts[want]++;
    // Exact-size buffer, and the same line followed by bytes that would end or break a string.
    std::unique_ptr<uint8_t[]> exact(new uint8_t[n ? n : 1]);
    std::memcpy(exact.get(), line.data(), n);
    static const char* after[] = {"\"", "\\", "\\\\", "\x01", "}", "\\u0041", "x", "\n{\"a\":1}"};
    std::string padded = line;
    for (size_t m = R(6); m > 0; m--) padded += R(2) ? std::string(R(70), 'x') : after[R(8)];
    std::unique_ptr<uint8_t[]> pad(new uint8_t[padded.size()]);
    std::memcpy(pad.get(), padded.data(), padded.size());
    uint16_t first[kMaxGates];
    for (int k = 0; k < 3; k++) {
      for (int variant = 0; variant < 2; variant++) {
        const uint8_t* b = variant ? pad.get() : exact.get();
        const uint8_t* limit = variant ? pad.get() + padded.size() : exact.get() + n;
        for (int gated = 0; gated < 2; gated++) {
          uint16_t codes[kMaxGates];
          const uint8_t got = kernels[k].Status(b, b + n, limit, codes, gated != 0);
          if (got != want) {
            std::printf("MISMATCH iteration %ld kernel %s padded %d gated %d: got %d want %d, line (%zu bytes):\n%s\n", it,
                        kernels[k].KernelName(), variant, gated, got, want, n, line.c_str());
            return 1;
          }
          if (!gated) {
            if (codes[0] != kGateUnknown || codes[1] != kGateUnknown) {
              std::printf("MISMATCH iteration %ld: a line read without gates has a known code\n", it);
              return 1;
            }
          } else if (k == 0 && variant == 0) {
            std::memcpy(first, codes, sizeof first);
          } else if (std::memcmp(first, codes, 2 * sizeof(uint16_t)) != 0) {
            std::printf("MISMATCH iteration %ld kernel %s: gate codes %x %x, scalar %x %x\n%s\n", it, kernels[k].KernelName(),
                        codes[0], codes[1], first[0], first[1], line.c_str());
            return 1;
          }
        }
      }
    }
  }
  std::printf("ok: %ld lines, %ld not objects, %ld valid, %ld invalid\n", iterations, counts[0], counts[1], counts[2]);
  return 0;
}
