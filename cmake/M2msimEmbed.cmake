# Data files compiled into a library, so that `m2msim` finds them wherever it
# is run from: m2msim_embed(FUNCTION GLOB OUT_VAR) generates a source that
# defines m2msim::scenario::FUNCTION() returning the files' texts
# (scenarios/builtin_files.hpp), and sets OUT_VAR to its path.
function(m2msim_embed function_name glob out_var)
  file(GLOB files CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/${glob})
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${function_name}.cpp)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DROOT=${PROJECT_SOURCE_DIR} -DOUT=${out} -DFUNCTION=${function_name}
            "-DFILES=${files}" -P ${PROJECT_SOURCE_DIR}/cmake/EmbedFiles.cmake
    DEPENDS ${files} ${PROJECT_SOURCE_DIR}/cmake/EmbedFiles.cmake
    COMMENT "Embedding ${glob}"
    VERBATIM)
  set(${out_var} ${out} PARENT_SCOPE)
endfunction()
