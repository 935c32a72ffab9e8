# Our compiler settings (warnings, -Werror, sanitizers, fuzzing instrumentation), set on
# our own targets only. A parent project that adds this tree with add_subdirectory keeps
# its own flags: nothing here goes through add_compile_options or CMAKE_CXX_FLAGS.

set(_tars_compile_options -Wall -Wextra)
set(_tars_link_options)
if(TARS_WERROR)
  list(APPEND _tars_compile_options -Werror)
endif()
if(TARS_SANITIZE STREQUAL "address")
  list(APPEND _tars_compile_options -fsanitize=address,undefined -fno-omit-frame-pointer
       -fno-sanitize-recover=undefined)
  list(APPEND _tars_link_options -fsanitize=address,undefined)
elseif(TARS_SANITIZE STREQUAL "thread")
  list(APPEND _tars_compile_options -fsanitize=thread -fno-omit-frame-pointer)
  list(APPEND _tars_link_options -fsanitize=thread)
elseif(NOT TARS_SANITIZE STREQUAL "")
  message(FATAL_ERROR "TARS_SANITIZE=${TARS_SANITIZE}: use address, thread or leave it empty")
endif()
if(TARS_FUZZ)
  # Every object gets coverage instrumentation and the sanitizers; the fuzz targets add
  # -fsanitize=fuzzer at link time.
  list(APPEND _tars_compile_options -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  list(APPEND _tars_link_options -fsanitize=address,undefined)
endif()

# Applies the settings above to every compiled target defined in dir and below (call it
# once, at the end of the top-level CMakeLists.txt).
function(tars_apply_build_options dir)
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  foreach(target IN LISTS targets)
    get_target_property(type ${target} TYPE)
    if(type MATCHES "^(STATIC_LIBRARY|SHARED_LIBRARY|MODULE_LIBRARY|OBJECT_LIBRARY|EXECUTABLE)$")
      target_compile_options(${target} BEFORE PRIVATE ${_tars_compile_options})
      if(_tars_link_options AND NOT type STREQUAL "STATIC_LIBRARY" AND NOT type STREQUAL "OBJECT_LIBRARY")
        target_link_options(${target} PRIVATE ${_tars_link_options})
      endif()
    endif()
  endforeach()
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(subdir IN LISTS subdirs)
    tars_apply_build_options(${subdir})
  endforeach()
endfunction()
