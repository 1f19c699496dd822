# Thin wrapper over CMake (the build itself lives in CMakeLists.txt).
#   make          build build/redirect
#   make demo     install missing Debian packages, build redirect alone, run the seed example
#   make test-vm  the integration tests in QEMU VMs of Debian 12's kernels: x86_64, x86_64 with no
#                 IA32 emulation, aarch64
#   make test     install missing Debian packages, build, run every test (scripts/test-all):
#                 ctest, the same under ASan + UBSan, 20 s of each fuzzer; one summary line
#   make test-inproc   the integration tests again, every run under --backend inproc
#   make test-packaging   real Debian packages bundled, traced with --suggest and run with the
#                 rules as written (tests/packaging; downloads ~4 MB of packages once, then
#                 about a minute)
#   make test-packaging-inproc   the same programs run from their bundles under --backend inproc
#   make install PREFIX=/usr/local
BUILD ?= build
PREFIX ?= /usr/local
JOBS ?= $(shell nproc)

.PHONY: all build deps demo test test-inproc test-vm test-packaging test-packaging-inproc test-packaging-inproc-trace test-identity stress sanitize sanitize-build schema-check lint-examples fuzz-build fuzz fuzz-smoke install clean

all: build

deps:
	@scripts/install-deps

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=$(PREFIX)

build: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j$(JOBS)

# Only the redirect binary: the demo runs nothing else (the test programs take minutes).
demo: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j$(JOBS) --target redirect
	@scripts/demo $(BUILD)/redirect

# Everything CI checks: the unit and integration suites, the same suites again with redirect
# built under AddressSanitizer + UBSan, a bounded run of every fuzz target, and the VM smoke set
# (tests/vm/smoke) in QEMU VMs of Debian 12's kernels, x86_64, x86_64-noia32 and aarch64. Ends
# with one line:
# "make test: N passed, N failed, N skipped (ctest, sanitize ctest, fuzz smoke, VM smoke)".
test: deps build
	@MAKE="$(MAKE)" scripts/test-all $(BUILD) $(JOBS)

# The integration tests inside QEMU VMs booting Debian 12's kernels under TCG emulation: 6.1 on
# x86_64 (with i386 programs) and aarch64 (cross-built), 6.12 on x86_64 with ia32_emulation=0
# (x86_64-noia32): tests/vm/, scripts/test-vm. Ends with
# "make test-vm: N passed, N failed, N skipped (...)". VM_ARCHES=x86_64 runs one.
VM_ARCHES ?= x86_64 x86_64-noia32 aarch64
test-vm: deps build
	@scripts/install-vm-deps
	@scripts/test-vm $(BUILD) $(JOBS) $(VM_ARCHES)

# CPython's own test modules natively, under an identity rewrite of every path and with their
# temporary directory moved by a prefix rule, compared test by test (tests/identity/cpython.py,
# about 5 minutes). Debian's python3 and its test suite package.
PY_TESTSUITE = libpython$(shell /usr/bin/python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || echo 3.11)-testsuite
test-identity: deps build
	@scripts/install-deps $(PY_TESTSUITE)
	/usr/bin/python3 tests/identity/cpython.py $(BUILD)/redirect

# ASan + UBSan build of the tools (tracees stay plain C) running the whole suite: any report
# fails the test that triggered it. The flags go in CMAKE_CXX_FLAGS only, which CMake also
# passes when linking C++ programs: in CMAKE_EXE_LINKER_FLAGS they would link the C tracees
# against libasan too, and LeakSanitizer aborts at exit in any process that is being traced.
SAN_FLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
sanitize-build:
	cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS="$(SAN_FLAGS)" \
	  -DCMAKE_EXE_LINKER_FLAGS=""
	cmake --build build-sanitize -j$(JOBS)

sanitize: deps sanitize-build
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --test-dir build-sanitize --output-on-failure -j$(JOBS)

# Real packages, as a packager would bundle them (tests/packaging/lib.bash says how). Separate
# from `make test`: it needs the Debian archive (skips without it) and takes minutes.
# The integration suite with every run under --backend inproc (scripts/test-inproc), leaving out
# the tests in tests/integration/inproc-differs, each listed with the reason it differs.
test-inproc: deps build
	@scripts/test-inproc $(BUILD) $(JOBS)

test-packaging: deps build
	tests/packaging/run $(BUILD)

# The same programs from their bundles under --backend inproc (the rules still learnt by a
# ptrace trace, as a packager would on a machine that allows it).
test-packaging-inproc: deps build
	REDIRECT_BACKEND=inproc tests/packaging/run $(BUILD)

# The same, with the rules learnt in-process too (`trace --backend inproc`): the packager's
# whole loop on a machine that refuses ptrace.
test-packaging-inproc-trace: deps build
	REDIRECT_BACKEND=inproc TRACE_BACKEND=inproc tests/packaging/run $(BUILD)

# The long hardening runs (minutes, not in `make test`): 64 threads + 200 processes x 2000
# checked opens, redirect's memory over 3M trapped syscalls, 60 random SIGKILLs, pid wrap-around.
stress: build
	tests/stress/run $(BUILD)

schema-check:
	scripts/check-schema

# libFuzzer targets (clang): a bounded run in `make test`, a long one in `make fuzz`.
fuzz-build:
	CXX=clang++ cmake -S tests/fuzz -B build-fuzz -DCMAKE_BUILD_TYPE=Debug
	cmake --build build-fuzz -j$(JOBS)

fuzz-smoke: deps fuzz-build
	scripts/run-fuzz 20

fuzz: deps fuzz-build
	scripts/run-fuzz 600

# Benchmarks (bench/run.py; a CMake project of its own in $(BUILD)/bench, so `make test` never
# builds or runs them): `make bench` writes bench/RESULTS.md, `make bench-quick` is a 1-minute look.
bench-build: deps build
	@scripts/install-deps strace proot
	cmake -S bench -B $(BUILD)/bench -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD)/bench -j$(JOBS)

bench: bench-build
	BENCH_MAKE="make bench" python3 bench/run.py --redirect $(BUILD)/redirect --bin $(BUILD)/bench

bench-quick: bench-build
	python3 bench/run.py --quick --redirect $(BUILD)/redirect --bin $(BUILD)/bench

lint-examples: build
	$(BUILD)/redirect lint --strict examples/*.toml

# --strip: the installed binary without its debug info (31 MB with it).
install: build
	cmake --install $(BUILD) --prefix $(PREFIX) --strip

clean:
	rm -rf $(BUILD) build-sanitize build-fuzz build-aarch64
