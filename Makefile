# Thin wrapper over CMake (the build itself lives in CMakeLists.txt).
#   make          build build/redirect
#   make demo     install missing Debian packages, build, run the seed example
#   make test     install missing Debian packages, build, run every test
#   make install PREFIX=/usr/local
BUILD ?= build
PREFIX ?= /usr/local
JOBS ?= $(shell nproc)

.PHONY: all build deps demo test unit lint-examples schema-check fuzz fuzz-smoke install clean

all: build

deps:
	@scripts/install-deps

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=$(PREFIX)

build: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j$(JOBS)

demo: deps build
	@scripts/demo $(BUILD)/redirect

test: deps build
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

lint-examples: build
	$(BUILD)/redirect lint --strict examples/*.toml

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	rm -rf $(BUILD) build-fuzz
