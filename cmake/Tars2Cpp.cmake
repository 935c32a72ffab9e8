# tars_generate(<target> OUTPUT_DIR <dir> FILES <x.tars>... [INCLUDE_DIRS <dir>...] [WITH_TARS]
#               [OPTIONS <tars2cpp option>...])
#
# Runs tars2cpp over the .tars files at build time and makes <target>, an INTERFACE
# library: linking to it puts <dir> (holding <x>.h for every file) on the include
# path and orders the generation before the compile. Generated code stays in the
# build tree. WITH_TARS allows the module name `tars` (the framework's own files);
# OPTIONS go to tars2cpp as they are (--unjson, --check-default=false).
#
# The same function serves this tree and projects that use the installed package
# (find_package(Tars) includes this file): it runs the executable target tars::tars2cpp,
# which is this tree's tars2cpp, or the installed one.
function(tars_generate target)
  cmake_parse_arguments(TG "WITH_TARS" "OUTPUT_DIR" "FILES;INCLUDE_DIRS;OPTIONS" ${ARGN})
  if(NOT TG_OUTPUT_DIR)
    set(TG_OUTPUT_DIR ${CMAKE_CURRENT_BINARY_DIR}/tars_gen/${target})
  endif()
  set(flags ${TG_OPTIONS})
  if(TG_WITH_TARS)
    list(APPEND flags --with-tars)
  endif()
  foreach(dir ${TG_INCLUDE_DIRS})
    get_filename_component(abs_dir ${dir} ABSOLUTE)
    list(APPEND flags -I ${abs_dir})
  endforeach()
  set(abs_files)
  foreach(f ${TG_FILES})
    get_filename_component(abs ${f} ABSOLUTE)
    list(APPEND abs_files ${abs})
  endforeach()
  set(outputs)
  foreach(abs ${abs_files})
    get_filename_component(name ${abs} NAME_WE)
    set(out ${TG_OUTPUT_DIR}/${name}.h)
    list(APPEND outputs ${out})
    # Any file of the set may be included by another: depend on all of them.
    add_custom_command(
      OUTPUT ${out}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${TG_OUTPUT_DIR}
      COMMAND tars::tars2cpp --dir=${TG_OUTPUT_DIR} ${flags} ${abs}
      DEPENDS tars::tars2cpp ${abs_files}
      COMMENT "tars2cpp ${name}.tars"
      VERBATIM)
  endforeach()
  add_custom_target(${target}_gen DEPENDS ${outputs})
  add_library(${target} INTERFACE)
  target_include_directories(${target} INTERFACE $<BUILD_INTERFACE:${TG_OUTPUT_DIR}>)
  # Generated headers include the codec, and for interfaces "servant/Servant.h" and
  # "servant/ServantProxy.h", which reach util headers and the protocol's headers.
  # Header paths only: a target that runs a servant or a proxy links the runtime
  # itself (tars::servant, which brings tars::client; or tars::client alone).
  target_link_libraries(${target} INTERFACE tars::codec tars::util)
  if(NOT TG_WITH_TARS)
    target_link_libraries(${target} INTERFACE tars::protocol)
  endif()
  add_dependencies(${target} ${target}_gen)
  # For install rules: what was generated, and from which files.
  set_target_properties(${target} PROPERTIES TARS_GENERATED_HEADERS "${outputs}" TARS_IDL_FILES "${abs_files}")
endfunction()
