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
#include <unordered_set>
#include <cstdint>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

#include "dfa_streams.h"
#include "json_line.h"
#include "literal_search.h"

namespace {

// A full DFA table larger than this many entries is refused rather than allocated (same as the JS engine).
constexpr uint64_t kMaxTransitionEntries = uint64_t(1) << 27;
constexpr uint64_t kMaxChunkBytes = 0xffffffffull;

// ---------------------------------------------------------------------------------------------------------
// Literal prefilter.

inline uint8_t Fold(uint8_t b) { return (b >= 'A' && b <= 'Z') ? uint8_t(b + 32) : b; }

struct Automaton {
  uint8_t class_of[256];
  uint32_t class_count = 0;
  uint32_t state_count = 0;
  // Rows of class_count + 1 entries, ids premultiplied by that stride. The extra last column of a
  // reporting state's row holds its index into out_start, so reporting needs no division.
  uint32_t stride = 0;
  std::vector<uint32_t> trans;
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
  if (uint64_t(nodes) * (k + 1) > kMaxTransitionEntries) {
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
  const uint32_t stride = k + 1;
  a.stride = stride;
  a.trans.assign(size_t(nodes) * stride, 0);
  for (uint32_t u = 0; u < nodes; u++) {
    size_t from = size_t(u) * k;
    size_t to = size_t(new_id[u]) * stride;
    for (uint32_t c = 0; c < k; c++) a.trans[to + c] = new_id[uint32_t(table[from + c])] * stride;
    if (new_id[u] >= first_match) a.trans[to + k] = new_id[u] - first_match;
  }
  a.match_from = first_match * stride;
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

// Reads the gate fields from JS: [{name, aliases: string[], values: string[]}]; value i gets code i.
std::string ReadGates(const Napi::Value& v, JsonLineValidator& json) {
  const char* shape = "gates must be an array of {name: string, aliases: string[], values: string[]}";
  if (!v.IsArray()) return shape;
  Napi::Array arr = v.As<Napi::Array>();
  if (arr.Length() > kMaxGates) return "at most " + std::to_string(kMaxGates) + " gate fields";
  std::vector<GateField> gates;
  for (uint32_t i = 0; i < arr.Length(); i++) {
    Napi::Value item = arr.Get(i);
    if (!item.IsObject()) return shape;
    Napi::Object o = item.As<Napi::Object>();
    Napi::Value name = o.Get("name"), aliases = o.Get("aliases"), values = o.Get("values");
    if (!name.IsString() || !aliases.IsArray() || !values.IsArray()) return shape;
    GateField g;
    g.name = name.As<Napi::String>().Utf8Value();
    if (g.name.empty()) return "a gate name is empty";
    Napi::Array al = aliases.As<Napi::Array>(), vl = values.As<Napi::Array>();
    for (uint32_t k = 0; k < al.Length(); k++) {
      if (!al.Get(k).IsString()) return shape;
      g.aliases.push_back(al.Get(k).As<Napi::String>().Utf8Value());
    }
    if (vl.Length() > kMaxGateValues) return "too many gate values";
    for (uint32_t k = 0; k < vl.Length(); k++) {
      if (!vl.Get(k).IsString()) return shape;
      g.values.emplace(vl.Get(k).As<Napi::String>().Utf8Value(), uint16_t(k));
    }
    gates.push_back(std::move(g));
  }
  json.SetGates(std::move(gates));
  return std::string();
}

class LinePrefilter : public Napi::ObjectWrap<LinePrefilter> {
 public:
  static constexpr int kLanes = 4;
  static constexpr size_t kBlock = 256;

  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "LinePrefilter",
                       {InstanceMethod<&LinePrefilter::Frame>("frame"),
                        InstanceMethod<&LinePrefilter::SetTriggers>("setTriggers"),
                        InstanceMethod<&LinePrefilter::SetDeadPairs>("setDeadPairs"),
                        InstanceAccessor<&LinePrefilter::LiteralCount>("literalCount"),
                        InstanceAccessor<&LinePrefilter::StateCount>("stateCount"),
                        InstanceAccessor<&LinePrefilter::LiteralPath>("literalPath"),
                        InstanceAccessor<&LinePrefilter::JsonKernel>("jsonKernel")});
  }

  static constexpr uint32_t kFlagValidateJson = 1;
  // For tests and benchmarks: pick the literal search instead of the measured default (same results).
  static constexpr uint32_t kFlagForceDfa = 2;
  static constexpr uint32_t kFlagForcePairs = 4;  // rare-byte pairs even above kPairsMaxLiterals (up to 64)
  static constexpr uint32_t kFlagNoAvx2 = 8;  // also keeps the JSON validator on SSE2
  static constexpr uint32_t kFlagLineLanes = 16;  // the DFA line by line in four lanes, not in streams
  static constexpr uint32_t kFlagScalarJson = 32;  // the JSON validator without SIMD blocks
  static constexpr uint32_t kFlagGatesEveryLine = 64;  // gate codes on every line, not only candidates
  // Up to this many literals, the rare-byte-pair search beats the DFA (measured on Windows JSON logs,
  // see bench/native-literal-search.js).
  static constexpr uint32_t kPairsMaxLiterals = 16;
  // A chunk at least this long tells whether the pairs filter well on this data.
  static constexpr size_t kPairsJudgeBytes = size_t(1) << 20;

  // new LinePrefilter(literalBytes: Uint8Array, literalOffsets: Uint32Array /* count + 1 */, flags: number,
  //                   gates?: {name: string, aliases: string[], values: string[]}[])
  explicit LinePrefilter(const Napi::CallbackInfo& info) : Napi::ObjectWrap<LinePrefilter>(info) {
    Napi::Env env = info.Env();
    if (info.Length() < 3 || !IsU8(info[0]) || !IsU32(info[1]) || !info[2].IsNumber()) {
      Napi::TypeError::New(env, "LinePrefilter(literalBytes: Uint8Array, literalOffsets: Uint32Array, flags: number)")
          .ThrowAsJavaScriptException();
      return;
    }
    const uint32_t flags = info[2].As<Napi::Number>().Uint32Value();
    validate_json_ = (flags & kFlagValidateJson) != 0;
    gates_every_line_ = (flags & kFlagGatesEveryLine) != 0;
    json_.UseKernel((flags & kFlagScalarJson)  ? JsonLineValidator::Kernel::kScalar
                    : (flags & kFlagNoAvx2) ? JsonLineValidator::Kernel::kSse2
                                            : JsonLineValidator::Kernel::kAvx2);
    if (info.Length() >= 4 && !info[3].IsUndefined()) {
      std::string err = ReadGates(info[3], json_);
      if (!err.empty()) {
        Napi::TypeError::New(env, err).ThrowAsJavaScriptException();
        return;
      }
      if (json_.GateCount() > 0 && !validate_json_) {
        Napi::TypeError::New(env, "gates need the validateJson flag").ThrowAsJavaScriptException();
        return;
      }
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
    if (!(flags & kFlagLineLanes)) {
      const sigrep::DfaSource src{dfa_.trans.data(), dfa_.state_count, dfa_.class_count, dfa_.stride, dfa_.match_from,
                                  dfa_.class_of,     dfa_.out_start.data(), dfa_.out_lits.data(), literal_count_};
      streams_.Build(bytes.Data(), offs.Data(), literal_count_, src);
    }
    if (streams_.Built()) {
      std::vector<uint32_t>().swap(dfa_.trans);  // the streams hold their own copy
    } else {
      for (Lane& lane : lanes_) lane.seen.assign(literal_count_, 0);
    }
    const uint32_t pairs_max = (flags & kFlagForcePairs) ? sigrep::SmallLiteralSearch::kMaxLiterals : kPairsMaxLiterals;
    use_pairs_ = !(flags & kFlagForceDfa) && literal_count_ <= pairs_max;
    pairs_forced_ = (flags & kFlagForcePairs) != 0;
    if (use_pairs_) pairs_.Build(bytes.Data(), offs.Data(), literal_count_, !(flags & kFlagNoAvx2));
    trigger_.assign(literal_count_, 1);
  }

 private:
  static bool IsU8(const Napi::Value& v) {
    return v.IsTypedArray() && v.As<Napi::TypedArray>().TypedArrayType() == napi_uint8_array;
  }
  static bool IsU32(const Napi::Value& v) {
    return v.IsTypedArray() && v.As<Napi::TypedArray>().TypedArrayType() == napi_uint32_array;
  }

  Napi::Value LiteralCount(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), literal_count_); }

  // setTriggers(ids?: Uint32Array): only lines holding one of these literals are candidates (all literals
  // when undefined); a candidate line still lists every literal it holds.
  Napi::Value SetTriggers(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (info.Length() < 1 || info[0].IsUndefined()) {
      trigger_.assign(literal_count_, 1);
      trigger_mask_ = ~uint64_t(0);
      all_triggers_ = true;
      return env.Undefined();
    }
    if (!IsU32(info[0])) {
      Napi::TypeError::New(env, "setTriggers(ids?: Uint32Array)").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    Napi::Uint32Array ids = info[0].As<Napi::Uint32Array>();
    for (size_t i = 0; i < ids.ElementLength(); i++) {
      if (ids[i] >= literal_count_) {
        Napi::RangeError::New(env, "a trigger is not a literal id").ThrowAsJavaScriptException();
        return env.Undefined();
      }
    }
    trigger_.assign(literal_count_, 0);
    trigger_mask_ = 0;
    for (size_t i = 0; i < ids.ElementLength(); i++) {
      trigger_[ids[i]] = 1;
      if (ids[i] < 64) trigger_mask_ |= uint64_t(1) << ids[i];
    }
    all_triggers_ = ids.ElementLength() == literal_count_ && std::all_of(trigger_.begin(), trigger_.end(), [](uint8_t t) { return t != 0; });
    return env.Undefined();
  }

  // setDeadPairs(tupleKeys: Float64Array, literals: Uint32Array): a line whose gate codes make tuple key
  // tupleKeys[i] and whose every trigger hit is paired with it (literals[i]) is not a candidate. The key is
  // the codes in mixed radix, as the caller's GateFilter computes it. Replaces the previous pairs.
  Napi::Value SetDeadPairs(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (info.Length() < 2 || !info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array || !IsU32(info[1])) {
      Napi::TypeError::New(env, "setDeadPairs(tupleKeys: Float64Array, literals: Uint32Array)").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    Napi::Float64Array keys = info[0].As<Napi::Float64Array>();
    Napi::Uint32Array lits = info[1].As<Napi::Uint32Array>();
    if (keys.ElementLength() != lits.ElementLength() || json_.GateCount() == 0) {
      Napi::RangeError::New(env, "dead pairs need gates, and as many keys as literals").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    dead_.clear();
    dead_keys_.clear();
    for (size_t i = 0; i < keys.ElementLength(); i++) {
      if (lits[i] >= literal_count_ || !(keys[i] >= 0) || keys[i] > 9007199254740991.0) {
        Napi::RangeError::New(env, "a dead pair names no literal or no tuple").ThrowAsJavaScriptException();
        return env.Undefined();
      }
      dead_.insert(DeadPair{uint64_t(keys[i]), lits[i]});
      dead_keys_.insert(uint64_t(keys[i]));
    }
    return env.Undefined();
  }

  // The tuple key of a line's gate codes: each code a digit (dictionary ids, then OTHER, ABSENT, UNKNOWN).
  uint64_t TupleKey(const uint16_t* codes) const {
    uint64_t key = 0;
    for (size_t g = 0; g < json_.GateCount(); g++) {
      const uint64_t size = json_.GateValueCount(g) + 3;
      const uint16_t c = codes[g];
      key = key * size + (c >= kGateOther ? size - 3 + (c - kGateOther) : c);
    }
    return key;
  }

  // Whether every trigger literal of a candidate line is paired with the line's tuple as dead.
  bool AllTriggersDead(uint32_t line, uint64_t key) const {
    if (dead_keys_.count(key) == 0) return false;
    auto dead = [&](uint32_t id) { return dead_.count(DeadPair{key, id}) != 0; };
    if (use_pairs_) {
      for (uint64_t bits = masks_[line] & trigger_mask_; bits != 0; bits &= bits - 1)
        if (!dead(uint32_t(__builtin_ctzll(bits)))) return false;
      return true;
    }
    const uint32_t* h = flat_.data() + hit_start_[line];
    for (uint32_t i = 0; i < hit_count_[line]; i++)
      if (trigger_[h[i]] && !dead(h[i])) return false;
    return true;
  }

  // Whether a line is a candidate: it holds some trigger literal.
  bool Candidate(uint32_t line) const {
    if (use_pairs_) return (masks_[line] & trigger_mask_) != 0;
    const uint32_t count = hit_count_[line];
    if (count == 0 || all_triggers_) return count != 0;
    const uint32_t* h = flat_.data() + hit_start_[line];
    for (uint32_t i = 0; i < count; i++)
      if (trigger_[h[i]]) return true;
    return false;
  }
  Napi::Value StateCount(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), dfa_.state_count); }
  Napi::Value LiteralPath(const Napi::CallbackInfo& info) {
    return Napi::String::New(info.Env(), use_pairs_ ? pairs_.Kernel() : "dfa");
  }
  Napi::Value JsonKernel(const Napi::CallbackInfo& info) { return Napi::String::New(info.Env(), json_.KernelName()); }

  // One lane scans one line at a time; each has its own dedup stamps so lanes never see each other's lines.
  struct Lane {
    std::vector<uint32_t> seen;  // seen[id] == stamp: literal id already reported for the lane's line
    uint32_t stamp = 0;
    std::vector<uint32_t> hits;  // the current line's literal ids
    const uint8_t* p = nullptr;
    const uint8_t* end = nullptr;
    bool active = false;  // holds a line whose hits are not yet recorded
    uint32_t state = 0;
    uint32_t line = 0;
  };

  void Begin(Lane& lane, const uint8_t* base, uint32_t line) {
    lane.p = base + starts_[line];
    lane.end = base + ends_[line];
    lane.state = 0;
    lane.active = true;
    lane.line = line;
    lane.hits.clear();
    if (++lane.stamp == 0) {
      std::fill(lane.seen.begin(), lane.seen.end(), 0);
      lane.stamp = 1;
    }
  }

  inline void Report(Lane& lane, uint32_t s) {
    uint32_t k = dfa_.trans[s + dfa_.class_count];
    for (uint32_t o = dfa_.out_start[k], last = dfa_.out_start[k + 1]; o < last; o++) {
      uint32_t id = dfa_.out_lits[o];
      if (lane.seen[id] != lane.stamp) {
        lane.seen[id] = lane.stamp;
        lane.hits.push_back(id);
      }
    }
  }

  void End(Lane& lane) {
    lane.active = false;
    if (lane.hits.empty()) return;
    std::sort(lane.hits.begin(), lane.hits.end());
    hit_start_[lane.line] = uint32_t(flat_.size());
    hit_count_[lane.line] = uint32_t(lane.hits.size());
    flat_.insert(flat_.end(), lane.hits.begin(), lane.hits.end());
  }

  // Runs one lane to the end of its line.
  void Drain(Lane& lane) {
    const uint32_t* trans = dfa_.trans.data();
    const uint8_t* class_of = dfa_.class_of;
    const uint32_t match_from = dfa_.match_from;
    uint32_t s = lane.state;
    for (const uint8_t* p = lane.p; p < lane.end; ++p) {
      s = trans[s + class_of[*p]];
      if (__builtin_expect(s >= match_from, 0)) Report(lane, s);
    }
    lane.p = lane.end;
    lane.state = s;
    End(lane);
  }

  // Steps four lanes over bytes [i, i + m), m <= kBlock. Reporting states are recorded, not handled: each
  // lane's state is stored to its record unconditionally and the count advanced by the compare, so the loop
  // has no data-dependent branch (about one step in five puts some lane in a reporting state on real logs).
  // Kept free of calls so every state and pointer stays in a register.
  __attribute__((noinline)) static void Step4(const uint32_t* __restrict trans, const uint8_t* __restrict class_of,
                                              uint32_t mf, const uint8_t* const* p, uint32_t* st, size_t i, size_t m,
                                              uint32_t (*record)[kBlock], uint32_t* count) {
    const uint8_t* p0 = p[0] + i;
    const uint8_t* p1 = p[1] + i;
    const uint8_t* p2 = p[2] + i;
    const uint8_t* p3 = p[3] + i;
    uint32_t* r0 = record[0];
    uint32_t* r1 = record[1];
    uint32_t* r2 = record[2];
    uint32_t* r3 = record[3];
    uint32_t s0 = st[0], s1 = st[1], s2 = st[2], s3 = st[3];
    uint32_t c0 = 0, c1 = 0, c2 = 0, c3 = 0;
    for (size_t j = 0; j < m; j++) {
      s0 = trans[s0 + class_of[p0[j]]];
      s1 = trans[s1 + class_of[p1[j]]];
      s2 = trans[s2 + class_of[p2[j]]];
      s3 = trans[s3 + class_of[p3[j]]];
      r0[c0] = s0;
      r1[c1] = s1;
      r2[c2] = s2;
      r3[c3] = s3;
      c0 += s0 >= mf;
      c1 += s1 >= mf;
      c2 += s2 >= mf;
      c3 += s3 >= mf;
    }
    st[0] = s0;
    st[1] = s1;
    st[2] = s2;
    st[3] = s3;
    count[0] = c0;
    count[1] = c1;
    count[2] = c2;
    count[3] = c3;
  }

  // Scans every non-empty line. The DFA step is a dependent load, so a single stream waits on memory
  // whenever the table misses cache; kLanes independent lines stepped together overlap those waits.
  void ScanLines(const uint8_t* base, uint32_t line_count) {
    uint32_t next = 0;
    auto assign = [&](Lane& lane) -> bool {
      while (next < line_count) {
        uint32_t line = next++;
        if (ends_[line] != starts_[line]) {
          Begin(lane, base, line);
          return true;
        }
      }
      return false;
    };
    int assigned = 0;
    while (assigned < kLanes && assign(lanes_[assigned])) assigned++;
    if (assigned == kLanes) {
      const uint32_t* trans = dfa_.trans.data();
      const uint8_t* class_of = dfa_.class_of;
      const uint32_t mf = dfa_.match_from;
      Lane& l0 = lanes_[0];
      Lane& l1 = lanes_[1];
      Lane& l2 = lanes_[2];
      Lane& l3 = lanes_[3];
      for (;;) {
        size_t n = std::min(std::min(size_t(l0.end - l0.p), size_t(l1.end - l1.p)),
                            std::min(size_t(l2.end - l2.p), size_t(l3.end - l3.p)));
        const uint8_t* p[kLanes] = {l0.p, l1.p, l2.p, l3.p};
        uint32_t st[kLanes] = {l0.state, l1.state, l2.state, l3.state};
        for (size_t i = 0; i < n; i += kBlock) {
          size_t m = std::min(kBlock, n - i);
          Step4(trans, class_of, mf, p, st, i, m, record_, record_count_);
          for (int k = 0; k < kLanes; k++)
            for (uint32_t j = 0; j < record_count_[k]; j++) Report(lanes_[k], record_[k][j]);
        }
        l0.state = st[0];
        l1.state = st[1];
        l2.state = st[2];
        l3.state = st[3];
        l0.p += n;
        l1.p += n;
        l2.p += n;
        l3.p += n;
        bool exhausted = false;
        for (int k = 0; k < kLanes; k++) {
          Lane& lane = lanes_[k];
          if (lane.p != lane.end) continue;
          End(lane);
          if (!assign(lane)) exhausted = true;  // lane.p stays at its end: nothing left to drain
        }
        if (exhausted) break;
      }
    }
    for (int k = 0; k < assigned; k++)
      if (lanes_[k].active) Drain(lanes_[k]);
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
    if (use_pairs_) {
      pairs_.FrameAndScan(p, n, starts_, ends_, masks_);
      // Judged on a real chunk (not a short tail), then the DFA takes over for good; results are the same.
      if (!pairs_forced_ && n >= kPairsJudgeBytes && pairs_.SlowerThanDfa(n)) switch_to_dfa_ = true;
    } else {
      // Frame first (memchr), then scan the framed lines.
      starts_.clear();
      ends_.clear();
      size_t pos = 0;
      sigrep::FrameLinesThrough(p, n, pos, n, starts_, ends_);
      hit_start_.assign(starts_.size(), 0);
      hit_count_.assign(starts_.size(), 0);
      flat_.clear();
      if (streams_.Built()) {
        streams_.Scan(p, n, starts_.data(), uint32_t(starts_.size()), hit_start_.data(), hit_count_.data(), flat_);
      } else {
        ScanLines(p, uint32_t(starts_.size()));
      }
    }
    const uint32_t line_count = uint32_t(starts_.size());
    candidate_.resize(line_count);
    for (uint32_t line = 0; line < line_count; line++) candidate_[line] = Candidate(line);
    Napi::Uint8Array json_status;
    Napi::Uint16Array gate_codes;
    uint32_t gated_lines = 0;
    const size_t gate_count = json_.GateCount();
    if (validate_json_) {
      json_status = Napi::Uint8Array::New(env, line_count);
      uint8_t* out = json_status.Data();
      const uint8_t* limit = p + n;  // blocks may read past a line's end, not past the chunk
      uint16_t none[kMaxGates];
      if (gate_count > 0) {
        // Gates are read on candidate lines only unless asked for every line (the contract of FramedChunk.gateCodes).
        gate_codes = Napi::Uint16Array::New(env, size_t(line_count) * gate_count);
        uint16_t* codes = gate_codes.Data();
        for (uint32_t line = 0; line < line_count; line++) {
          const bool read = gates_every_line_ || candidate_[line];
          uint16_t* line_codes = codes + size_t(line) * gate_count;
          out[line] = json_.Status(p + starts_[line], p + ends_[line], limit, line_codes, read);
          // A line whose gates rule out every rule its triggers could concern is no candidate.
          if (candidate_[line] && !dead_.empty() && out[line] == kJsonValid && AllTriggersDead(line, TupleKey(line_codes))) {
            candidate_[line] = 0;
            gated_lines++;
          }
        }
      } else {
        for (uint32_t line = 0; line < line_count; line++)
          out[line] = json_.Status(p + starts_[line], p + ends_[line], limit, none, false);
      }
    }

    uint32_t candidates = 0;
    size_t total_hits = 0;
    for (uint32_t line = 0; line < line_count; line++) {
      if (!candidate_[line]) continue;
      candidates++;
      total_hits += use_pairs_ ? size_t(__builtin_popcountll(masks_[line])) : hit_count_[line];
    }
    // frame(bytes, true): per literal, the lines holding it, candidates or not (what clause choice is based on).
    Napi::Uint32Array literal_lines;
    if (info.Length() >= 2 && info[1].ToBoolean()) {
      literal_lines = Napi::Uint32Array::New(env, literal_count_);
      uint32_t* ll = literal_lines.Data();
      std::fill(ll, ll + literal_count_, 0u);
      if (use_pairs_) {
        for (uint32_t line = 0; line < line_count; line++)
          for (uint64_t bits = masks_[line]; bits != 0; bits &= bits - 1) ll[__builtin_ctzll(bits)]++;
      } else {
        for (uint32_t id : flat_) ll[id]++;
      }
    }
    Napi::Uint32Array candidate_lines = Napi::Uint32Array::New(env, candidates);
    Napi::Uint32Array hit_offsets = Napi::Uint32Array::New(env, size_t(candidates) + 1);
    Napi::Uint32Array hit_literals = Napi::Uint32Array::New(env, total_hits);
    uint32_t* cl = candidate_lines.Data();
    uint32_t* ho = hit_offsets.Data();
    uint32_t* hl = hit_literals.Data();
    uint32_t written = 0;
    uint32_t k = 0;
    ho[0] = 0;
    if (use_pairs_) {
      for (uint32_t line = 0; line < line_count; line++) {
        uint64_t bits = masks_[line];
        if (!candidate_[line]) continue;
        for (; bits != 0; bits &= bits - 1) hl[written++] = uint32_t(__builtin_ctzll(bits));  // ascending ids
        cl[k] = line;
        ho[++k] = written;
      }
    } else {
      for (uint32_t line = 0; line < line_count; line++) {
        uint32_t count = hit_count_[line];
        if (!candidate_[line]) continue;
        std::memcpy(hl + written, flat_.data() + hit_start_[line], count * sizeof(uint32_t));
        written += count;
        cl[k] = line;
        ho[++k] = written;
      }
    }
    Napi::Object result = Napi::Object::New(env);
    result.Set("lineCount", Napi::Number::New(env, line_count));
    result.Set("lineStarts", Copy(env, starts_));
    result.Set("lineEnds", Copy(env, ends_));
    result.Set("candidateLines", candidate_lines);
    result.Set("hitOffsets", hit_offsets);
    result.Set("hitLiterals", hit_literals);
    if (validate_json_) result.Set("jsonStatus", json_status);
    if (gate_count > 0) result.Set("gateCodes", gate_codes);
    if (!literal_lines.IsEmpty()) result.Set("literalLines", literal_lines);
    if (gate_count > 0) result.Set("gatedLines", Napi::Number::New(env, gated_lines));
    if (switch_to_dfa_) use_pairs_ = false;
    return result;
  }

  Automaton dfa_;
  sigrep::DfaStreams streams_;  // the DFA scan unless kFlagLineLanes or a literal ends with CR
  uint32_t literal_count_ = 0;
  bool validate_json_ = false;
  bool gates_every_line_ = false;
  // Literals whose hits make a line a candidate (setTriggers); all by default.
  std::vector<uint8_t> trigger_;
  uint64_t trigger_mask_ = ~uint64_t(0);
  bool all_triggers_ = true;
  std::vector<uint8_t> candidate_;  // per line of the current chunk
  struct DeadPair {
    uint64_t key;
    uint32_t literal;
    bool operator==(const DeadPair& o) const { return key == o.key && literal == o.literal; }
  };
  struct DeadPairHash {
    size_t operator()(const DeadPair& d) const { return std::hash<uint64_t>()(d.key * 0x9e3779b97f4a7c15ull ^ d.literal); }
  };
  std::unordered_set<DeadPair, DeadPairHash> dead_;  // setDeadPairs
  std::unordered_set<uint64_t> dead_keys_;  // the tuple keys of dead_
  JsonLineValidator json_;
  Lane lanes_[kLanes];
  uint32_t record_[kLanes][kBlock];
  uint32_t record_count_[kLanes];
  std::vector<uint32_t> starts_, ends_;
  // Per line: where its sorted hits sit in flat_ (lanes finish lines out of order).
  std::vector<uint32_t> hit_start_, hit_count_, flat_;
  // Small literal sets: per line, a bit per literal id found.
  bool use_pairs_ = false;
  bool pairs_forced_ = false;
  bool switch_to_dfa_ = false;  // applied after the current chunk's hits are written out
  sigrep::SmallLiteralSearch pairs_;
  std::vector<uint64_t> masks_;
};

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("LinePrefilter", LinePrefilter::Define(env));
  exports.Set("abiVersion", Napi::Number::New(env, 4));
  return exports;
}

}  // namespace

NODE_API_MODULE(sigrep_line_prefilter, Init)
