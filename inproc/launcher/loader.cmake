# The in-process backend's static-ELF loader and launcher (inproc/launcher/launcher.h). Included
# from the top-level CMakeLists.txt, after the runtime's targets: with redirect_inproc_core
# (x86_64) the launcher arms the runtime, elsewhere it only loads and says the program runs
# unredirected. The launcher is a static-pie executable: it runs where no ld.so
# will (it maps a static program into its own process), and as a PIE the kernel puts it far
# from the fixed addresses (0x400000...) static programs are linked at.
add_library(redirect_inproc_loader STATIC
  ${PROJECT_SOURCE_DIR}/inproc/launcher/elf_image.cpp
  ${PROJECT_SOURCE_DIR}/inproc/launcher/elf_loader.cpp
  ${PROJECT_SOURCE_DIR}/inproc/launcher/initial_stack.cpp
  ${PROJECT_SOURCE_DIR}/inproc/launcher/launcher.cpp)
target_include_directories(redirect_inproc_loader PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(redirect_inproc_loader PUBLIC fmt::fmt-header-only)
set_target_properties(redirect_inproc_loader PROPERTIES POSITION_INDEPENDENT_CODE ON)

# redirect_inproc_launcher(TARGET SOURCE): a static-pie launcher whose main() is SOURCE.
function(redirect_inproc_launcher target source)
  add_executable(${target} ${source})
  target_link_libraries(${target} PRIVATE redirect_inproc_loader)
  set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  target_link_options(${target} PRIVATE -static-pie)
endfunction()

# Syscall User Dispatch, which the launcher exists for, is x86 only: elsewhere only the loader
# library is built (its unit tests run on every host).
if(TARGET redirect_inproc_core)
  redirect_inproc_launcher(redirect-inproc-exec
    ${PROJECT_SOURCE_DIR}/inproc/launcher/launcher_runtime_main.cpp)
  target_link_libraries(redirect-inproc-exec PRIVATE redirect_inproc_core)
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64" AND NOT REDIRECT_SANITIZED)
  redirect_inproc_launcher(redirect-inproc-exec ${PROJECT_SOURCE_DIR}/inproc/launcher/launcher_main.cpp)
endif()
# Beside libredirect-inproc.so, where the runtime looks for it.
if(TARGET redirect-inproc-exec)
  install(TARGETS redirect-inproc-exec RUNTIME DESTINATION ${CMAKE_INSTALL_LIBDIR}/redirect)
endif()
