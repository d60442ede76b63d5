# Warnings live on a private interface target that every m2msim target links,
# so that dependants of the libraries are not forced to use our flags.
add_library(m2msim_warnings INTERFACE)
target_compile_options(m2msim_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow
  -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough)
if(M2MSIM_WERROR)
  target_compile_options(m2msim_warnings INTERFACE -Werror)
endif()

# m2msim_library(NAME SOURCES ... PUBLIC_DEPS ... PRIVATE_DEPS ...) makes the
# target m2msim_NAME with the alias m2msim::NAME.
function(m2msim_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(m2msim_${name} ${ARG_SOURCES})
  add_library(m2msim::${name} ALIAS m2msim_${name})
  target_include_directories(m2msim_${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(m2msim_${name} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE m2msim_warnings ${ARG_PRIVATE_DEPS})
endfunction()
