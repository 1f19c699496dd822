# CMake toolchain file: redirect and its test programs for aarch64 (arm64) on an x86_64 Debian
# host, for the arm64 test VM (tests/vm). The compiler is clang with --target, not Debian's
# gcc-aarch64-linux-gnu, because that package and gcc-multilib (the -m32 test programs of the
# x86_64 build) cannot be installed together. C and C++ runtimes come from the cross packages
# (libc6-dev-arm64-cross, libstdc++-12-dev-arm64-cross, binutils-aarch64-linux-gnu) and the
# libraries from Debian's arm64 packages through multiarch (libpcre2-dev:arm64, libfmt-dev:arm64,
# libtomlplusplus-dev:arm64, libseccomp-dev:arm64): scripts/install-vm-deps installs them all.
# The syscall-number generator must run on the host: pass REDIRECT_HOST_SYSCALL_NUMBERS_GEN, the
# syscall_numbers_gen of a native build (rules/gen/syscall_numbers.cmake).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER clang)
set(CMAKE_C_COMPILER_TARGET aarch64-linux-gnu)
set(CMAKE_CXX_COMPILER clang++)
set(CMAKE_CXX_COMPILER_TARGET aarch64-linux-gnu)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
# Only arm64 libraries: pkg-config reads the multiarch directory, not the host's.
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig)
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu /usr/lib/aarch64-linux-gnu/cmake)
