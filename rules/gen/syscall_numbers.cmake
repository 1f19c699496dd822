# Generates BINARY_DIR/generated/rules/syscall_numbers.inc (per-arch syscall numbers, from
# libseccomp at build time; see syscall_numbers_gen.cpp) and makes TARGET compile against it.
# Shared by the main build and tests/fuzz, which both compile rules/*.cpp.
# A cross build (cmake/aarch64-linux-gnu.cmake) cannot run the generator it would build, so it
# takes a native build's as REDIRECT_HOST_SYSCALL_NUMBERS_GEN (the output is the same on every
# host: it covers every arch).
function(redirect_syscall_numbers target root)
  if(NOT TARGET PkgConfig::SECCOMP)
    pkg_check_modules(SECCOMP REQUIRED IMPORTED_TARGET GLOBAL libseccomp)
  endif()
  if(CMAKE_CROSSCOMPILING)
    if(NOT REDIRECT_HOST_SYSCALL_NUMBERS_GEN)
      message(FATAL_ERROR "a cross build needs -DREDIRECT_HOST_SYSCALL_NUMBERS_GEN=PATH, the "
        "syscall_numbers_gen of a native build (make build builds build/syscall_numbers_gen)")
    endif()
    add_executable(syscall_numbers_gen IMPORTED)
    set_target_properties(syscall_numbers_gen PROPERTIES
      IMPORTED_LOCATION ${REDIRECT_HOST_SYSCALL_NUMBERS_GEN})
  else()
    add_executable(syscall_numbers_gen ${root}/rules/gen/syscall_numbers_gen.cpp)
    target_include_directories(syscall_numbers_gen PRIVATE ${root})
    target_link_libraries(syscall_numbers_gen PRIVATE PkgConfig::SECCOMP)
  endif()
  set(out ${CMAKE_BINARY_DIR}/generated/rules/syscall_numbers.inc)
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/generated/rules
    COMMAND syscall_numbers_gen > ${out}.tmp
    COMMAND ${CMAKE_COMMAND} -E rename ${out}.tmp ${out}
    DEPENDS syscall_numbers_gen ${root}/rules/syscalls.def
    COMMENT "Resolving syscall numbers with libseccomp")
  # As a source of TARGET (never compiled: .inc), so it exists before syscall_table.cpp builds.
  target_sources(${target} PRIVATE ${out})
  target_include_directories(${target} PRIVATE ${CMAKE_BINARY_DIR}/generated)
endfunction()
