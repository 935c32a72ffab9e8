# tars_package(<target> [FILES <file>...] [ALL])
#
# Makes the target <target>-tar, which builds <target>.tgz in the current binary folder:
# a gzip'd tar whose top folder is <target> (the server's name), holding the executable
# <target> under the name <target> and each of FILES beside it, as TARS's
# `make <Server>-tar` does:
#
#   HelloServer/
#   HelloServer/HelloServer
#   HelloServer/HelloServer.conf
#
# This is the package `tarsadmin publish` uploads to tarspatch and nodes unpack. FILES are
# regular files (relative paths are taken from the current source folder); they keep their
# names, so two of them may not share one. ALL adds the package to the default build
# target. The archive is rebuilt when the executable or a file changes.
#
# The same function serves this tree and projects that use the installed package
# (find_package(Tars) includes this file). The tar is written by `cmake -E tar`.
function(tars_package target)
  cmake_parse_arguments(TP "ALL" "" "FILES" ${ARGN})
  if(TP_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "tars_package(${target}): unknown arguments ${TP_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT TARGET ${target})
    message(FATAL_ERROR "tars_package(${target}): no target ${target} (define the executable first)")
  endif()
  get_target_property(type ${target} TYPE)
  if(NOT type STREQUAL "EXECUTABLE")
    message(FATAL_ERROR "tars_package(${target}): ${target} is a ${type}, not an executable")
  endif()
  set(files)
  set(names ${target})
  foreach(f ${TP_FILES})
    get_filename_component(abs ${f} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
    get_filename_component(name ${abs} NAME)
    if(name IN_LIST names)
      message(FATAL_ERROR "tars_package(${target}): two entries named ${name}")
    endif()
    list(APPEND names ${name})
    list(APPEND files ${abs})
  endforeach()

  set(stage ${CMAKE_CURRENT_BINARY_DIR}/${target}-tar)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${target}.tgz)
  set(copy_files)
  if(files)
    set(copy_files COMMAND ${CMAKE_COMMAND} -E copy ${files} ${stage}/${target}/)
  endif()
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -E rm -rf ${stage}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${stage}/${target}
    COMMAND ${CMAKE_COMMAND} -E copy $<TARGET_FILE:${target}> ${stage}/${target}/${target}
    ${copy_files}
    COMMAND ${CMAKE_COMMAND} -E chdir ${stage} ${CMAKE_COMMAND} -E tar czf ${out}.part ${target}
    COMMAND ${CMAKE_COMMAND} -E rename ${out}.part ${out}
    DEPENDS ${target} ${files}
    COMMENT "tars_package: ${target}.tgz"
    VERBATIM)
  if(TP_ALL)
    add_custom_target(${target}-tar ALL DEPENDS ${out})
  else()
    add_custom_target(${target}-tar DEPENDS ${out})
  endif()
endfunction()
