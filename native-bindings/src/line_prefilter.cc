// sigrep line prefilter, native engine: frames a chunk of whole lines and reports, per line, which
// literals occur in it (ASCII case-insensitive). Same contract as src/engine/line-prefilter/js-prefilter.ts,
// built independently so the shared test suite compares two implementations, not one with itself.
//
// Key decision: a full Aho-Corasick DFA over byte classes (A-Z and a-z share a class, bytes that occur in
// no literal share class 0), with premultiplied state ids and reporting states numbered last, so each byte
// costs one table load and one compare. Lines are found with memchr; the DFA restarts at the root on
// every line, so a literal can never span a line boundary.

#include <napi.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

// A full DFA table larger than this many entries is refused rather than allocated (same as the JS engine).
constexpr uint64_t kMaxTransitionEntries = uint64_t(1) << 27;
constexpr uint64_t kMaxChunkBytes = 0xffffffffull;

inline uint8_t Fold(uint8_t b) { return (b >= 'A' && b <= 'Z') ? uint8_t(b + 32) : b; }

struct Automaton {
  uint8_t class_of[256];
  uint32_t class_count = 0;
  uint32_t state_count = 0;
  std::vector<uint32_t> trans;      // premultiplied ids
  uint32_t match_from = 0;          // premultiplied; states >= match_from report
  std::vector<uint32_t> out_start;  // per reporting state, CSR into out_lits
  std::vector<uint32_t> out_lits;
};

// Returns an error message, or an empty string on success.
std::string BuildAutomaton(const uint8_t* data, const uint32_t* offs, uint32_t count, Automaton& a) {
  uint32_t class_of_folded[256] = {0};
  uint64_t total_bytes = 0;
  for (uint32_t id = 0; id < count; id++) {
    if (offs[id + 1] == offs[id]) return "prefilter literal " + std::to_string(id) + " is empty";
    for (uint32_t i = offs[id]; i < offs[id + 1]; i++) class_of_folded[Fold(data[i])] = 1;
    total_bytes += offs[id + 1] - offs[id];
  }
  uint32_t k = 1;
  for (int b = 0; b < 256; b++)
    if (class_of_folded[b]) class_of_folded[b] = k++;
  a.class_count = k;
  for (int b = 0; b < 256; b++) a.class_of[b] = uint8_t(class_of_folded[Fold(uint8_t(b))]);

  // Trie.
  std::unordered_map<uint64_t, uint32_t> edges;
  edges.reserve(size_t(total_bytes));
  uint32_t nodes = 1;
  std::vector<uint32_t> literal_node(count);
  for (uint32_t id = 0; id < count; id++) {
    uint32_t node = 0;
    for (uint32_t i = offs[id]; i < offs[id + 1]; i++) {
      uint64_t key = uint64_t(node) * k + a.class_of[data[i]];
      auto it = edges.find(key);
      if (it == edges.end()) {
        edges.emplace(key, nodes);
        node = nodes++;
      } else {
        node = it->second;
      }
    }
    literal_node[id] = node;
  }
  if (uint64_t(nodes) * k > kMaxTransitionEntries) {
    return "prefilter automaton too large: " + std::to_string(nodes) + " states x " + std::to_string(k) +
           " byte classes exceeds " + std::to_string(kMaxTransitionEntries) + " entries";
  }
  std::vector<int32_t> table(size_t(nodes) * k, -1);
  for (const auto& e : edges) table[e.first] = int32_t(e.second);
  edges.clear();

  // Own outputs per node: literal ids grouped by node, ascending.
  std::vector<uint32_t> own_start(nodes + 1, 0);
  for (uint32_t id = 0; id < count; id++) own_start[literal_node[id] + 1]++;
  for (uint32_t u = 0; u < nodes; u++) own_start[u + 1] += own_start[u];
  std::vector<uint32_t> own_lits(count);
  {
    std::vector<uint32_t> fill(own_start.begin(), own_start.end() - 1);
    for (uint32_t id = 0; id < count; id++) own_lits[fill[literal_node[id]]++] = id;
  }

  // BFS: failure links, completed transitions, output counts.
  std::vector<uint32_t> order;
  order.reserve(nodes);
  std::vector<uint32_t> fail(nodes, 0);
  std::vector<uint32_t> out_count(nodes, 0);
  for (uint32_t c = 0; c < k; c++) {
    int32_t v = table[c];
    if (v < 0) {
      table[c] = 0;
    } else {
      fail[v] = 0;
      order.push_back(uint32_t(v));
    }
  }
  for (size_t head = 0; head < order.size(); head++) {
    uint32_t u = order[head];
    out_count[u] = (own_start[u + 1] - own_start[u]) + out_count[fail[u]];
    size_t row = size_t(u) * k;
    size_t fail_row = size_t(fail[u]) * k;
    for (uint32_t c = 0; c < k; c++) {
      int32_t v = table[row + c];
      if (v < 0) {
        table[row + c] = table[fail_row + c];
      } else {
        fail[v] = uint32_t(table[fail_row + c]);
        order.push_back(uint32_t(v));
      }
    }
  }

  // Renumber: root, silent states, reporting states.
  std::vector<uint32_t> new_id(nodes, 0);
  uint32_t next = 1;
  for (uint32_t u : order)
    if (out_count[u] == 0) new_id[u] = next++;
  uint32_t first_match = next;
  size_t total_outputs = 0;
  for (uint32_t u : order) {
    if (out_count[u] != 0) {
      new_id[u] = next++;
      total_outputs += out_count[u];
    }
  }
  a.state_count = nodes;
  a.trans.assign(size_t(nodes) * k, 0);
  for (uint32_t u = 0; u < nodes; u++) {
    size_t from = size_t(u) * k;
    size_t to = size_t(new_id[u]) * k;
    for (uint32_t c = 0; c < k; c++) a.trans[to + c] = new_id[uint32_t(table[from + c])] * k;
  }
  a.match_from = first_match * k;
  a.out_start.clear();
  a.out_start.reserve(nodes - first_match + 1);
  a.out_lits.clear();
  a.out_lits.reserve(total_outputs);
  for (uint32_t u : order) {
    if (out_count[u] == 0) continue;
    a.out_start.push_back(uint32_t(a.out_lits.size()));
    for (uint32_t v = u; v != 0; v = fail[v])
      for (uint32_t o = own_start[v]; o < own_start[v + 1]; o++) a.out_lits.push_back(own_lits[o]);
  }
  a.out_start.push_back(uint32_t(a.out_lits.size()));
  return std::string();
}

class LinePrefilter : public Napi::ObjectWrap<LinePrefilter> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "LinePrefilter",
                       {InstanceMethod<&LinePrefilter::Frame>("frame"),
                        InstanceAccessor<&LinePrefilter::LiteralCount>("literalCount"),
                        InstanceAccessor<&LinePrefilter::StateCount>("stateCount")});
  }

  // new LinePrefilter(literalBytes: Uint8Array, literalOffsets: Uint32Array /* count + 1 */)
  explicit LinePrefilter(const Napi::CallbackInfo& info) : Napi::ObjectWrap<LinePrefilter>(info) {
    Napi::Env env = info.Env();
    if (info.Length() < 2 || !IsU8(info[0]) || !IsU32(info[1])) {
      Napi::TypeError::New(env, "LinePrefilter(literalBytes: Uint8Array, literalOffsets: Uint32Array)")
          .ThrowAsJavaScriptException();
      return;
    }
    Napi::Uint8Array bytes = info[0].As<Napi::Uint8Array>();
    Napi::Uint32Array offs = info[1].As<Napi::Uint32Array>();
    size_t n_offs = offs.ElementLength();
    if (n_offs < 1 || offs[0] != 0 || offs[n_offs - 1] != bytes.ElementLength()) {
      Napi::RangeError::New(env, "literalOffsets must start at 0 and end at literalBytes.length")
          .ThrowAsJavaScriptException();
      return;
    }
    for (size_t i = 1; i < n_offs; i++) {
      if (offs[i] < offs[i - 1]) {
        Napi::RangeError::New(env, "literalOffsets must be ascending").ThrowAsJavaScriptException();
        return;
      }
    }
    literal_count_ = uint32_t(n_offs - 1);
    std::string err = BuildAutomaton(bytes.Data(), offs.Data(), literal_count_, dfa_);
    if (!err.empty()) {
      Napi::RangeError::New(env, err).ThrowAsJavaScriptException();
      return;
    }
    seen_.assign(literal_count_, 0);
  }

 private:
  static bool IsU8(const Napi::Value& v) {
    return v.IsTypedArray() && v.As<Napi::TypedArray>().TypedArrayType() == napi_uint8_array;
  }
  static bool IsU32(const Napi::Value& v) {
    return v.IsTypedArray() && v.As<Napi::TypedArray>().TypedArrayType() == napi_uint32_array;
  }

  Napi::Value LiteralCount(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), literal_count_); }
  Napi::Value StateCount(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), dfa_.state_count); }

  // Runs the DFA over one line's content, appending literal ids not yet seen on this line.
  inline void ScanLine(const uint8_t* p, const uint8_t* end) {
    const uint32_t* trans = dfa_.trans.data();
    const uint8_t* class_of = dfa_.class_of;
    const uint32_t match_from = dfa_.match_from;
    uint32_t s = 0;
    for (; p < end; ++p) {
      s = trans[s + class_of[*p]];
      if (__builtin_expect(s >= match_from, 0)) Report(s);
    }
  }

  void Report(uint32_t s) {
    uint32_t k = (s - dfa_.match_from) / dfa_.class_count;
    for (uint32_t o = dfa_.out_start[k], last = dfa_.out_start[k + 1]; o < last; o++) {
      uint32_t id = dfa_.out_lits[o];
      if (seen_[id] != stamp_) {
        seen_[id] = stamp_;
        hits_.push_back(id);
      }
    }
  }

  static Napi::Uint32Array Copy(Napi::Env env, const std::vector<uint32_t>& v) {
    Napi::Uint32Array out = Napi::Uint32Array::New(env, v.size());
    if (!v.empty()) std::memcpy(out.Data(), v.data(), v.size() * sizeof(uint32_t));
    return out;
  }

  Napi::Value Frame(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (info.Length() < 1 || !IsU8(info[0])) {
      Napi::TypeError::New(env, "frame(bytes: Uint8Array)").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    Napi::Uint8Array input = info[0].As<Napi::Uint8Array>();
    const uint8_t* p = input.Data();
    const size_t n = input.ElementLength();
    if (uint64_t(n) > kMaxChunkBytes) {
      Napi::RangeError::New(env, "chunk exceeds 4294967295 bytes").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    starts_.clear();
    ends_.clear();
    candidates_.clear();
    offsets_.clear();
    hits_.clear();
    offsets_.push_back(0);
    uint32_t line = 0;
    size_t pos = 0;
    while (pos < n) {
      const uint8_t* nl = static_cast<const uint8_t*>(std::memchr(p + pos, '\n', n - pos));
      size_t end, next;
      if (nl == nullptr) {
        end = n;
        next = n;
      } else {
        size_t at = size_t(nl - p);
        end = (at > pos && p[at - 1] == '\r') ? at - 1 : at;
        next = at + 1;
      }
      starts_.push_back(uint32_t(pos));
      ends_.push_back(uint32_t(end));
      if (++stamp_ == 0) {
        std::fill(seen_.begin(), seen_.end(), 0);
        stamp_ = 1;
      }
      size_t line_hits = hits_.size();
      ScanLine(p + pos, p + end);
      if (hits_.size() > line_hits) {
        std::sort(hits_.begin() + line_hits, hits_.end());
        candidates_.push_back(line);
        offsets_.push_back(uint32_t(hits_.size()));
      }
      line++;
      pos = next;
    }
    Napi::Object result = Napi::Object::New(env);
    result.Set("lineCount", Napi::Number::New(env, line));
    result.Set("lineStarts", Copy(env, starts_));
    result.Set("lineEnds", Copy(env, ends_));
    result.Set("candidateLines", Copy(env, candidates_));
    result.Set("hitOffsets", Copy(env, offsets_));
    result.Set("hitLiterals", Copy(env, hits_));
    return result;
  }

  Automaton dfa_;
  uint32_t literal_count_ = 0;
  std::vector<uint32_t> seen_;
  uint32_t stamp_ = 0;
  std::vector<uint32_t> starts_, ends_, candidates_, offsets_, hits_;
};

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("LinePrefilter", LinePrefilter::Define(env));
  exports.Set("abiVersion", Napi::Number::New(env, 1));
  return exports;
}

}  // namespace

NODE_API_MODULE(sigrep_line_prefilter, Init)
