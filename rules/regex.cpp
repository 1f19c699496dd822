// PCRE2 (8-bit code units, no UTF: a path is bytes) behind an owning type. Compiled with
// PCRE2_NEVER_UTF so a pattern cannot switch UTF on with (*UTF) and then fail on paths that are
// not valid UTF-8.
//
// pcre2_substitute() is not the usual rewrite path (Replacement::expand() copies the pieces
// itself); it serves the replacements Replacement leaves to PCRE2 ($*MARK, a name several groups
// share) and is the reference the tests compare with. The surprising fact: with
// PCRE2_SUBSTITUTE_MATCHED it does not use the caller's match data in place; it copies it into
// a fresh internal match data block, allocated with the memory functions of the match context
// (PCRE2 src/pcre2_substitute.c: "we copy the existing match into the internal block"). To keep
// substitution allocation-free every Regex owns a general context whose malloc hands out one
// preallocated block of exactly that size; any other request (there is none on the match path
// once JIT-compiled) falls through to malloc.
#define PCRE2_CODE_UNIT_WIDTH 8
#include "rules/regex.h"

#include <pcre2.h>

#include <cstdlib>
#include <new>
#include <stdexcept>
#include <string>

namespace redirect::rules {

namespace {

// Where PCRE2's memory comes from for one match state: `block`, one preallocated block of the
// match data's size, reused for pcre2_substitute()'s internal copy (PCRE2 frees it before
// pcre2_substitute() returns); else, for a MatchState, the caller's memory from `next` to `end`
// (never freed: it lives as long as the state); else, for a Regex's own state, malloc.
struct Arena {
  void* block = nullptr;
  std::size_t size = 0;
  bool in_use = false;
  std::byte* next = nullptr;
  std::byte* end = nullptr;
};

void* arena_malloc(PCRE2_SIZE size, void* data) {
  auto* arena = static_cast<Arena*>(data);
  if (arena->block != nullptr && !arena->in_use && size <= arena->size) {
    arena->in_use = true;
    return arena->block;
  }
  if (arena->end != nullptr) {
    const std::size_t rounded = (size + 15) & ~std::size_t{15};
    if (rounded > static_cast<std::size_t>(arena->end - arena->next)) return nullptr;
    void* p = arena->next;
    arena->next += rounded;
    return p;
  }
  return std::malloc(size);
}

void arena_free(void* p, void* data) {
  auto* arena = static_cast<Arena*>(data);
  if (p != nullptr && p == arena->block) {
    arena->in_use = false;
    return;
  }
  if (arena->end != nullptr) return;  // the caller's memory
  std::free(p);
}

std::string pcre2_message(int code) {
  PCRE2_UCHAR buffer[256];
  int n = pcre2_get_error_message(code, buffer, sizeof buffer);
  if (n < 0) return "unknown PCRE2 error " + std::to_string(code);
  return std::string(reinterpret_cast<const char*>(buffer), static_cast<std::size_t>(n));
}

PCRE2_SPTR sptr(std::string_view s) { return reinterpret_cast<PCRE2_SPTR>(s.data()); }

bool is_word(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

}  // namespace

// The per-match half of PCRE2: contexts with our memory functions and limits, the match data,
// and how the last match ended.
struct MatchState::Impl {
  Arena arena;
  pcre2_general_context* general = nullptr;
  pcre2_match_context* context = nullptr;
  pcre2_match_data* match_data = nullptr;
  bool matched = false;  // the last match() found a match
  int error = 0;         // the last match()'s PCRE2 error code, 0 when it decided

  // Builds the contexts and a match data of `pairs` ovector pairs; false when memory ran out.
  // The match data must use the arena's functions too: PCRE2 copies its header, memory
  // functions included, into the internal block and frees that block with them.
  bool init(std::uint32_t pairs) {
    general = pcre2_general_context_create(arena_malloc, arena_free, &arena);
    if (general == nullptr) return false;
    match_data = pcre2_match_data_create(pairs, general);
    if (match_data == nullptr) return false;
    context = pcre2_match_context_create(general);
    if (context == nullptr) return false;
    pcre2_set_match_limit(context, Regex::match_limit);
    pcre2_set_depth_limit(context, Regex::depth_limit);
    arena.size = pcre2_get_match_data_size(match_data);
    arena.block = arena_malloc(arena.size, &arena);
    return arena.block != nullptr;
  }
  void release() {
    pcre2_match_data_free(match_data);
    pcre2_match_context_free(context);
    pcre2_general_context_free(general);
    if (arena.end == nullptr) std::free(arena.block);
  }
};

MatchState::MatchState(int captures, std::span<std::byte> memory) {
  if (memory.size() < sizeof(Impl) + 16) return;
  auto* impl = new (memory.data()) Impl();
  impl->arena.next = memory.data() + ((sizeof(Impl) + 15) & ~std::size_t{15});
  impl->arena.end = memory.data() + memory.size();
  if (impl->init(static_cast<std::uint32_t>(captures) + 1)) impl_ = impl;
}

MatchState::~MatchState() {
  if (impl_ != nullptr) impl_->~Impl();  // its memory is the caller's: nothing to free
}

struct Regex::Impl {
  pcre2_code* code = nullptr;
  MatchState::Impl own;  // for the callers that give no MatchState
  bool jit = false;
  bool jit_tried = false;  // JIT compilation waits for the first match() (see match())

  MatchState::Impl& state(const MatchState* s) { return s != nullptr ? *s->impl_ : own; }

  ~Impl() {
    own.release();
    pcre2_code_free(code);
  }
};

Regex::Regex(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Regex::Regex(Regex&&) noexcept = default;
Regex& Regex::operator=(Regex&&) noexcept = default;
Regex::~Regex() = default;

std::optional<Regex> Regex::compile(std::string_view pattern, Error& error) {
  auto impl = std::make_unique<Impl>();
  int code = 0;
  PCRE2_SIZE offset = 0;
  impl->code =
      pcre2_compile(sptr(pattern), pattern.size(), PCRE2_NEVER_UTF, &code, &offset, nullptr);
  if (impl->code == nullptr) {
    error = Error{pcre2_message(code), offset};
    return std::nullopt;
  }
  uint32_t captures = 0;
  pcre2_pattern_info(impl->code, PCRE2_INFO_CAPTURECOUNT, &captures);
  if (!impl->own.init(captures + 1)) throw std::bad_alloc();
  return Regex(std::move(impl));
}

bool Regex::prepare() const {
  Impl& m = *impl_;
  // JIT-compiled at the first match, not at compile(): with the prefix index most rules of a
  // large file are never matched in a run, and JIT code for 10,000 patterns (one executable
  // mapping each, unmapped again at exit) was most of the start-up. Not an error when the JIT
  // is missing (e.g. an arch without it): the interpreter is used.
  if (!m.jit_tried) {
    m.jit_tried = true;
    m.jit = pcre2_jit_compile(m.code, PCRE2_JIT_COMPLETE) == 0;
  }
  return m.jit;
}

Regex::Outcome Regex::try_match(std::string_view subject, MatchState* state) const {
  Impl& m = *impl_;
  if (state == nullptr) prepare();
  MatchState::Impl& s = m.state(state);
  int rc = m.jit ? pcre2_jit_match(m.code, sptr(subject), subject.size(), 0, 0, s.match_data,
                                   s.context)
                 : pcre2_match(m.code, sptr(subject), subject.size(), 0, 0, s.match_data,
                               s.context);
  // A negative code other than "no match" (a limit) decides nothing: the caller must not
  // take it for "no match", or a deny rule would let through the paths it cannot finish
  // matching.
  s.matched = rc >= 0;
  s.error = rc < 0 && rc != PCRE2_ERROR_NOMATCH ? rc : 0;
  if (s.matched) return Outcome::match;
  return s.error != 0 ? Outcome::error : Outcome::no_match;
}

std::string Regex::error_message() const {
  return impl_->own.error != 0 ? pcre2_message(impl_->own.error) : std::string();
}

std::optional<std::size_t> Regex::substitute_last_match(std::string_view subject,
                                                        std::string_view replacement,
                                                        std::span<char> out,
                                                        MatchState* state) const {
  Impl& m = *impl_;
  MatchState::Impl& s = m.state(state);
  if (!s.matched) throw std::logic_error("Regex::substitute_last_match without a match");
  PCRE2_SIZE length = out.size();
  int rc = pcre2_substitute(
      m.code, sptr(subject), subject.size(), 0,
      PCRE2_SUBSTITUTE_MATCHED | PCRE2_SUBSTITUTE_OVERFLOW_LENGTH | PCRE2_SUBSTITUTE_UNSET_EMPTY,
      s.match_data, s.context, sptr(replacement), replacement.size(),
      reinterpret_cast<PCRE2_UCHAR*>(out.data()), &length);
  if (rc == PCRE2_ERROR_NOMEMORY) return std::nullopt;
  // Any other failure means the replacement was not checked with Replacement::parse().
  if (rc < 0) throw std::logic_error("pcre2_substitute: " + pcre2_message(rc));
  return length;
}

std::span<const std::size_t> Regex::last_match_ovector(const MatchState* state) const {
  const MatchState::Impl& s = impl_->state(state);
  if (!s.matched) return {};
  return {pcre2_get_ovector_pointer(s.match_data), 2 * pcre2_get_ovector_count(s.match_data)};
}

std::optional<int> Regex::group_number(std::string_view name) const {
  const std::string nul_terminated(name);
  int n = pcre2_substring_number_from_name(impl_->code, sptr(nul_terminated));
  if (n < 0) return std::nullopt;
  return n;
}

bool Regex::has_group(std::string_view name) const {
  const std::string nul_terminated(name);
  return pcre2_substring_number_from_name(impl_->code, sptr(nul_terminated)) !=
         PCRE2_ERROR_NOSUBSTRING;
}

bool Regex::may_match_absolute() const {
  uint32_t options = 0;
  pcre2_pattern_info(impl_->code, PCRE2_INFO_ALLOPTIONS, &options);
  if (!(options & PCRE2_ANCHORED)) return true;
  uint32_t type = 0;
  pcre2_pattern_info(impl_->code, PCRE2_INFO_FIRSTCODETYPE, &type);
  if (type == 1) {
    uint32_t unit = 0;
    pcre2_pattern_info(impl_->code, PCRE2_INFO_FIRSTCODEUNIT, &unit);
    return unit == '/';
  }
  const uint8_t* bitmap = nullptr;
  pcre2_pattern_info(impl_->code, PCRE2_INFO_FIRSTBITMAP, &bitmap);
  if (bitmap == nullptr) return true;
  return (bitmap['/' / 8] >> ('/' % 8)) & 1u;
}

int Regex::capture_count() const {
  uint32_t count = 0;
  pcre2_pattern_info(impl_->code, PCRE2_INFO_CAPTURECOUNT, &count);
  return static_cast<int>(count);
}

// Every ASCII character other than a letter, digit or '_' gets a backslash: PCRE2 reads '\' +
// non-alphanumeric as that character in every mode, even inside (?x) where a bare space or '#'
// would be dropped. Control characters become \x{..} so the pattern stays printable. Bytes from
// 0x80 up are literal in a non-UTF pattern and are copied as they are. \Q..\E is not used: a
// value containing "\E" would end the quoting early.
std::string Regex::quote(std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size() * 2);
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (is_word(c) || u >= 0x80) {
      out += c;
    } else if (u < 0x20 || u == 0x7f) {
      out += "\\x{";
      out += hex[u >> 4];
      out += hex[u & 0xf];
      out += '}';
    } else {
      out += '\\';
      out += c;
    }
  }
  return out;
}

bool Regex::jit() const { return impl_->jit; }

}  // namespace redirect::rules
