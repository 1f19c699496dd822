// Reading strings from and writing into another process: a real child that shares our memory
// layout (fork), with a string ending right before an unmapped page, one running into it, and
// a bad pointer; then the PTRACE_PEEKDATA path for a non-dumpable child.
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstring>
#include <string>

#include "engine/remote_mem.h"

using namespace redirect::engine;
using Status = StringRead::Status;

namespace {

// Two pages, the second unmapped: strings placed at the end of the first.
struct EdgePage {
  char* page = nullptr;
  std::size_t size = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  EdgePage() {
    void* p = mmap(nullptr, 2 * size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(p != MAP_FAILED);
    page = static_cast<char*>(p);
    REQUIRE(munmap(page + size, size) == 0);
    std::memset(page, 'x', size);
  }
  ~EdgePage() { munmap(page, size); }
  // `s` placed so its last byte is the page's last byte.
  char* place_at_end(const char* s, std::size_t n) {
    char* at = page + size - n;
    std::memcpy(at, s, n);
    return at;
  }
};

// A child that shares our layout and waits; `traced`: it is our ptrace tracee, non-dumpable.
struct Child {
  pid_t pid;
  explicit Child(bool traced = false) {
    pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      if (traced) {
        prctl(PR_SET_DUMPABLE, 0);
        ptrace(PTRACE_TRACEME, 0, nullptr, nullptr);
        raise(SIGSTOP);
      }
      for (;;) pause();
    }
    if (traced) {
      int status;
      REQUIRE(waitpid(pid, &status, 0) == pid);
      REQUIRE(WIFSTOPPED(status));
    }
  }
  ~Child() {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
  }
};

// Whether we may read a non-dumpable tracee (CAP_SYS_PTRACE, as root usually has).
bool privileged() {
  FILE* f = std::fopen("/proc/self/status", "r");
  char line[256];
  unsigned long long caps = 0;
  while (f && std::fgets(line, sizeof line, f))
    if (std::sscanf(line, "CapEff: %llx", &caps) == 1) break;
  if (f) std::fclose(f);
  return caps & (1ull << 19);  // CAP_SYS_PTRACE
}

RemotePtr ptr(const void* p) { return RemotePtr{reinterpret_cast<std::uint64_t>(p)}; }

}  // namespace

TEST_CASE("remote_mem: a string running into an unmapped page, and a bad pointer") {
  for (bool traced : {false, true}) {
    CAPTURE(traced);  // traced: non-dumpable, so process_vm_readv is EPERM and PEEKDATA reads
    EdgePage edge;
    char* cut = edge.place_at_end("/etc/pass", 9);  // no NUL before the unmapped page
    Child child(traced);
    char buf[PATH_MAX];
    // Unprivileged, a non-dumpable tracee's memory is closed to us, mapped or not.
    Status want = traced && !privileged() ? Status::forbidden : Status::unreadable;
    CHECK(read_c_string(child.pid, ptr(cut), buf).status == want);
    CHECK(read_c_string(child.pid, RemotePtr{8}, buf).status == want);
  }
}

TEST_CASE("remote_mem: a string ending on the last byte of a page is read whole") {
  for (bool traced : {false, true}) {
    CAPTURE(traced);
    EdgePage edge;
    char* s = edge.place_at_end("/etc/passwd", 12);
    Child child(traced);
    char buf[PATH_MAX];
    StringRead r = read_c_string(child.pid, ptr(s), buf);
    if (traced && !privileged()) {
      // Without CAP_SYS_PTRACE neither process_vm_readv nor PTRACE_PEEKDATA may read it.
      CHECK(r.status == Status::forbidden);
      continue;
    }
    REQUIRE(r.status == Status::ok);
    CHECK(std::string(buf, r.length) == "/etc/passwd");
  }
}

TEST_CASE("remote_mem: a string crossing into the next mapped page, and one without a NUL") {
  std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  std::string across(page + 100, 'a');  // long enough to span two pages wherever it starts
  std::string no_nul(2 * PATH_MAX, 'b');
  Child child;
  char buf[PATH_MAX];
  StringRead r = read_c_string(child.pid, ptr(across.c_str() + page - 50), buf);
  REQUIRE(r.status == Status::ok);
  CHECK(r.length == 150);
  CHECK(read_c_string(child.pid, ptr(no_nul.c_str()), buf).status == Status::unterminated);
}

TEST_CASE("remote_mem: write several pieces, read them back") {
  for (bool traced : {false, true}) {
    CAPTURE(traced);
    static char area[256];
    std::memset(area, 0, sizeof area);
    Child child(traced);
    const char one[] = "/snap/app/one", two[] = "/two";
    RemoteWrite pieces[] = {{ptr(area + 128), {one, sizeof one}},
                            {ptr(area + 3), {two, sizeof two}}};
    if (traced && !privileged()) {
      CHECK(write_remote(child.pid, pieces) != 0);
      continue;
    }
    REQUIRE(write_remote(child.pid, pieces) == 0);
    char buf[PATH_MAX];
    StringRead r1 = read_c_string(child.pid, ptr(area + 128), buf);
    REQUIRE(r1.status == Status::ok);
    CHECK(std::string(buf, r1.length) == one);
    StringRead r2 = read_c_string(child.pid, ptr(area + 3), buf);
    REQUIRE(r2.status == Status::ok);
    CHECK(std::string(buf, r2.length) == two);
    CHECK(area[128] == 0);  // the child's copy changed, not ours
    RemoteWrite bad[] = {{RemotePtr{16}, {one, sizeof one}}};
    CHECK(write_remote(child.pid, bad) != 0);
  }
}

TEST_CASE("remote_mem: a dead process is `gone`, not an error") {
  pid_t pid;
  {
    Child child;
    pid = child.pid;
  }
  char buf[64];
  CHECK(read_c_string(pid, RemotePtr{0x1000}, buf).status == Status::gone);
  const char s[] = "x";
  RemoteWrite w[] = {{RemotePtr{0x1000}, {s, 2}}};
  CHECK(write_remote(pid, w) == ESRCH);
}
