// The errno names a deny rule may return, each with its value on the host. Names are those of
// the Linux UAPI headers asm-generic/errno-base.h and asm-generic/errno.h (plus glibc's ENOTSUP),
// in their order; values come from <cerrno> so they are right for the architecture we are built
// for (they differ on a few arches, e.g. MIPS, which is why this is not a list of numbers).
// Aliases (EWOULDBLOCK = EAGAIN, EDEADLOCK = EDEADLK, ENOTSUP = EOPNOTSUPP) are accepted names.
#include "rules/errno_names.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <iterator>

namespace redirect::rules {

namespace {

struct Entry {
  std::string_view name;
  int value;
};

#define REDIRECT_ERRNO(name) \
  Entry { #name, name }
constexpr Entry table[] = {
    REDIRECT_ERRNO(EPERM),           REDIRECT_ERRNO(ENOENT),       REDIRECT_ERRNO(ESRCH),
    REDIRECT_ERRNO(EINTR),           REDIRECT_ERRNO(EIO),          REDIRECT_ERRNO(ENXIO),
    REDIRECT_ERRNO(E2BIG),           REDIRECT_ERRNO(ENOEXEC),      REDIRECT_ERRNO(EBADF),
    REDIRECT_ERRNO(ECHILD),          REDIRECT_ERRNO(EAGAIN),       REDIRECT_ERRNO(ENOMEM),
    REDIRECT_ERRNO(EACCES),          REDIRECT_ERRNO(EFAULT),       REDIRECT_ERRNO(ENOTBLK),
    REDIRECT_ERRNO(EBUSY),           REDIRECT_ERRNO(EEXIST),       REDIRECT_ERRNO(EXDEV),
    REDIRECT_ERRNO(ENODEV),          REDIRECT_ERRNO(ENOTDIR),      REDIRECT_ERRNO(EISDIR),
    REDIRECT_ERRNO(EINVAL),          REDIRECT_ERRNO(ENFILE),       REDIRECT_ERRNO(EMFILE),
    REDIRECT_ERRNO(ENOTTY),          REDIRECT_ERRNO(ETXTBSY),      REDIRECT_ERRNO(EFBIG),
    REDIRECT_ERRNO(ENOSPC),          REDIRECT_ERRNO(ESPIPE),       REDIRECT_ERRNO(EROFS),
    REDIRECT_ERRNO(EMLINK),          REDIRECT_ERRNO(EPIPE),        REDIRECT_ERRNO(EDOM),
    REDIRECT_ERRNO(ERANGE),          REDIRECT_ERRNO(EDEADLK),      REDIRECT_ERRNO(ENAMETOOLONG),
    REDIRECT_ERRNO(ENOLCK),          REDIRECT_ERRNO(ENOSYS),       REDIRECT_ERRNO(ENOTEMPTY),
    REDIRECT_ERRNO(ELOOP),           REDIRECT_ERRNO(EWOULDBLOCK),  REDIRECT_ERRNO(ENOMSG),
    REDIRECT_ERRNO(EIDRM),           REDIRECT_ERRNO(ECHRNG),       REDIRECT_ERRNO(EL2NSYNC),
    REDIRECT_ERRNO(EL3HLT),          REDIRECT_ERRNO(EL3RST),       REDIRECT_ERRNO(ELNRNG),
    REDIRECT_ERRNO(EUNATCH),         REDIRECT_ERRNO(ENOCSI),       REDIRECT_ERRNO(EL2HLT),
    REDIRECT_ERRNO(EBADE),           REDIRECT_ERRNO(EBADR),        REDIRECT_ERRNO(EXFULL),
    REDIRECT_ERRNO(ENOANO),          REDIRECT_ERRNO(EBADRQC),      REDIRECT_ERRNO(EBADSLT),
    REDIRECT_ERRNO(EDEADLOCK),       REDIRECT_ERRNO(EBFONT),       REDIRECT_ERRNO(ENOSTR),
    REDIRECT_ERRNO(ENODATA),         REDIRECT_ERRNO(ETIME),        REDIRECT_ERRNO(ENOSR),
    REDIRECT_ERRNO(ENONET),          REDIRECT_ERRNO(ENOPKG),       REDIRECT_ERRNO(EREMOTE),
    REDIRECT_ERRNO(ENOLINK),         REDIRECT_ERRNO(EADV),         REDIRECT_ERRNO(ESRMNT),
    REDIRECT_ERRNO(ECOMM),           REDIRECT_ERRNO(EPROTO),       REDIRECT_ERRNO(EMULTIHOP),
    REDIRECT_ERRNO(EDOTDOT),         REDIRECT_ERRNO(EBADMSG),      REDIRECT_ERRNO(EOVERFLOW),
    REDIRECT_ERRNO(ENOTUNIQ),        REDIRECT_ERRNO(EBADFD),       REDIRECT_ERRNO(EREMCHG),
    REDIRECT_ERRNO(ELIBACC),         REDIRECT_ERRNO(ELIBBAD),      REDIRECT_ERRNO(ELIBSCN),
    REDIRECT_ERRNO(ELIBMAX),         REDIRECT_ERRNO(ELIBEXEC),     REDIRECT_ERRNO(EILSEQ),
    REDIRECT_ERRNO(ERESTART),        REDIRECT_ERRNO(ESTRPIPE),     REDIRECT_ERRNO(EUSERS),
    REDIRECT_ERRNO(ENOTSOCK),        REDIRECT_ERRNO(EDESTADDRREQ), REDIRECT_ERRNO(EMSGSIZE),
    REDIRECT_ERRNO(EPROTOTYPE),      REDIRECT_ERRNO(ENOPROTOOPT),  REDIRECT_ERRNO(EPROTONOSUPPORT),
    REDIRECT_ERRNO(ESOCKTNOSUPPORT), REDIRECT_ERRNO(EOPNOTSUPP),   REDIRECT_ERRNO(ENOTSUP),
    REDIRECT_ERRNO(EPFNOSUPPORT),    REDIRECT_ERRNO(EAFNOSUPPORT), REDIRECT_ERRNO(EADDRINUSE),
    REDIRECT_ERRNO(EADDRNOTAVAIL),   REDIRECT_ERRNO(ENETDOWN),     REDIRECT_ERRNO(ENETUNREACH),
    REDIRECT_ERRNO(ENETRESET),       REDIRECT_ERRNO(ECONNABORTED), REDIRECT_ERRNO(ECONNRESET),
    REDIRECT_ERRNO(ENOBUFS),         REDIRECT_ERRNO(EISCONN),      REDIRECT_ERRNO(ENOTCONN),
    REDIRECT_ERRNO(ESHUTDOWN),       REDIRECT_ERRNO(ETOOMANYREFS), REDIRECT_ERRNO(ETIMEDOUT),
    REDIRECT_ERRNO(ECONNREFUSED),    REDIRECT_ERRNO(EHOSTDOWN),    REDIRECT_ERRNO(EHOSTUNREACH),
    REDIRECT_ERRNO(EALREADY),        REDIRECT_ERRNO(EINPROGRESS),  REDIRECT_ERRNO(ESTALE),
    REDIRECT_ERRNO(EUCLEAN),         REDIRECT_ERRNO(ENOTNAM),      REDIRECT_ERRNO(ENAVAIL),
    REDIRECT_ERRNO(EISNAM),          REDIRECT_ERRNO(EREMOTEIO),    REDIRECT_ERRNO(EDQUOT),
    REDIRECT_ERRNO(ENOMEDIUM),       REDIRECT_ERRNO(EMEDIUMTYPE),  REDIRECT_ERRNO(ECANCELED),
    REDIRECT_ERRNO(ENOKEY),          REDIRECT_ERRNO(EKEYEXPIRED),  REDIRECT_ERRNO(EKEYREVOKED),
    REDIRECT_ERRNO(EKEYREJECTED),    REDIRECT_ERRNO(EOWNERDEAD),   REDIRECT_ERRNO(ENOTRECOVERABLE),
    REDIRECT_ERRNO(ERFKILL),         REDIRECT_ERRNO(EHWPOISON),
};
#undef REDIRECT_ERRNO

constexpr auto all_names = [] {
  std::array<std::string_view, std::size(table)> names{};
  for (std::size_t i = 0; i < std::size(table); ++i) names[i] = table[i].name;
  return names;
}();

}  // namespace

std::optional<int> errno_value(std::string_view name) {
  auto it = std::find_if(std::begin(table), std::end(table),
                         [&](const Entry& e) { return e.name == name; });
  if (it == std::end(table)) return std::nullopt;
  return it->value;
}

std::optional<std::string_view> errno_name(int value) {
  auto it = std::find_if(std::begin(table), std::end(table),
                         [&](const Entry& e) { return e.value == value; });
  if (it == std::end(table)) return std::nullopt;
  return it->name;
}

std::span<const std::string_view> errno_names() { return all_names; }

}  // namespace redirect::rules
