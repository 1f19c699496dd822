# Thin wrapper over CMake (the build itself lives in CMakeLists.txt).
#   make          build build/redirect
#   make demo     install missing Debian packages, build, run the seed example
#   make test     install missing Debian packages, build, run every test
#   make install PREFIX=/usr/local
BUILD ?= build
PREFIX ?= /usr/local
JOBS ?= $(shell nproc)

.PHONY: all build deps demo test lint-examples fuzz-build fuzz fuzz-smoke install clean

all: build

deps:
	@scripts/install-deps

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=$(PREFIX)

build: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j$(JOBS)

demo: deps build
	@scripts/demo $(BUILD)/redirect

test: deps build fuzz-smoke
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

# libFuzzer targets (clang): a bounded run in `make test`, a long one in `make fuzz`.
fuzz-build:
	CXX=clang++ cmake -S tests/fuzz -B build-fuzz -DCMAKE_BUILD_TYPE=Debug
	cmake --build build-fuzz -j$(JOBS)

fuzz-smoke: deps fuzz-build
	scripts/run-fuzz 30

fuzz: deps fuzz-build
	scripts/run-fuzz 600

lint-examples: build
	$(BUILD)/redirect lint --strict examples/*.toml

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	rm -rf $(BUILD) build-fuzz
