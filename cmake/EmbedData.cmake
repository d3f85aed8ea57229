# Embeds every file under a data folder into a static library, so the al-cape binary is self-contained
# while the tables stay plain data files in the repository (edited as data, reviewed as data).
# Access: alcape::data::file("signature_categories.json") -> std::string_view (see src/data/embedded.hpp).
function(alcape_embed_data target dir)
  file(GLOB_RECURSE files CONFIGURE_DEPENDS RELATIVE ${dir} ${dir}/*)
  list(FILTER files EXCLUDE REGEX "(^|/)(README|NOTICE)[^/]*$")
  list(SORT files)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/embedded_data.cpp)
  set(abs_files "")
  foreach(f ${files})
    list(APPEND abs_files ${dir}/${f})
  endforeach()
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DDATA_DIR=${dir} -DOUT=${out}
            -P ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/EmbedDataGen.cmake
    DEPENDS ${abs_files} ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/EmbedDataGen.cmake
    COMMENT "Embedding data tables")
  add_library(${target} STATIC ${out} ${ARGN})
  target_include_directories(${target} PUBLIC ${CMAKE_SOURCE_DIR}/src)
endfunction()
