# Generates BINARY_DIR/generated/rules/syscall_numbers.inc (per-arch syscall numbers, from
# libseccomp at build time; see syscall_numbers_gen.cpp) and makes TARGET compile against it.
# Shared by the main build and tests/fuzz, which both compile rules/*.cpp.
function(redirect_syscall_numbers target root)
  if(NOT TARGET PkgConfig::SECCOMP)
    pkg_check_modules(SECCOMP REQUIRED IMPORTED_TARGET GLOBAL libseccomp)
  endif()
  add_executable(syscall_numbers_gen ${root}/rules/gen/syscall_numbers_gen.cpp)
  target_include_directories(syscall_numbers_gen PRIVATE ${root})
  target_link_libraries(syscall_numbers_gen PRIVATE PkgConfig::SECCOMP)
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
