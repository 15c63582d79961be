# Static linking for the executables that run on every push (the hooks:
# pushgate_link_statically below).
#
# A target with the property PUSHGATE_STATIC_LIBS set links libgit2 (with
# every library `pkg-config --static libgit2` names), libcrypto, libpcre2-8
# and libfyaml from their archives, which Debian's -dev packages ship; all
# other targets link the shared libraries. pushgate-pre-receive started in
# ~3 ms, two thirds of it in the dynamic loader resolving 7,500 symbols
# (3,400 of them libcrypto's calls to itself, bound at load time); linked
# this way it resolves ~1,800 and starts in ~1.5 ms. Archives are looked up
# once; when one is missing the shared library is used and the configure
# output says so. PUSHGATE_STATIC_HOOK=OFF links everything shared.

option(PUSHGATE_STATIC_HOOK "link the hook binaries with static libgit2, libcrypto, libpcre2-8 and libfyaml" ON)

# The archive of each library name given, in order; empty when one is missing.
function(pushgate_find_archives out)
  set(archives)
  foreach(name IN LISTS ARGN)
    find_library(PUSHGATE_ARCHIVE_${name} NAMES lib${name}.a)
    if(NOT PUSHGATE_ARCHIVE_${name})
      message(STATUS "pushgate: no lib${name}.a; the hooks link the shared libraries")
      set(${out} "" PARENT_SCOPE)
      return()
    endif()
    list(APPEND archives ${PUSHGATE_ARCHIVE_${name}})
  endforeach()
  set(${out} ${archives} PARENT_SCOPE)
endfunction()

# libgit2's archives, plus what they need beyond its .pc file: libssh2 is
# built against libcrypto.
set(pushgate_git_names ${LIBGIT2_STATIC_LIBRARIES})
list(REMOVE_ITEM pushgate_git_names rt dl pthread m)
list(APPEND pushgate_git_names crypto)
pushgate_find_archives(pushgate_git_archives ${pushgate_git_names})
pushgate_find_archives(pushgate_fyaml_archives fyaml)

if(PUSHGATE_STATIC_HOOK AND pushgate_git_archives AND pushgate_fyaml_archives)
  set(PUSHGATE_STATIC_HOOK_LIBS ON)
  # One group, as one linker argument: the archives call each other in
  # both directions (libssh2 and libgit2 both need libcrypto and pcre2),
  # and CMake must neither reorder nor drop repeated items.
  list(JOIN pushgate_git_archives "$<COMMA>" pushgate_git_group)
  set(pushgate_static_LIBGIT2 "-Wl$<COMMA>--start-group$<COMMA>${pushgate_git_group}$<COMMA>--end-group" dl rt Threads::Threads)
  set(pushgate_static_LIBCRYPTO ${pushgate_static_LIBGIT2})
  set(pushgate_static_PCRE2 ${pushgate_static_LIBGIT2})
  set(pushgate_static_LIBFYAML ${pushgate_fyaml_archives})
  foreach(pkg IN ITEMS LIBGIT2 LIBCRYPTO PCRE2 LIBFYAML)
    get_target_property(shared PkgConfig::${pkg} INTERFACE_LINK_LIBRARIES)
    list(JOIN shared "$<SEMICOLON>" shared)
    list(JOIN pushgate_static_${pkg} "$<SEMICOLON>" static)
    set_property(TARGET PkgConfig::${pkg} PROPERTY INTERFACE_LINK_LIBRARIES
                 "$<IF:$<BOOL:$<TARGET_PROPERTY:PUSHGATE_STATIC_LIBS>>,${static},${shared}>")
  endforeach()
else()
  set(PUSHGATE_STATIC_HOOK_LIBS OFF)
endif()

# fmt, which Debian ships as a shared library only: with fmt 9 its few
# non-template functions are compiled in (core/fmt/fmt9_library.cpp), and
# then no shared library left needs libstdc++, which is linked statically
# too: it bound 1,700 of its symbols to itself at every start (~0.5 ms).
# pushgate_fmt is what targets link instead of fmt::fmt.
add_library(pushgate_fmt INTERFACE)
if(PUSHGATE_STATIC_HOOK_LIBS AND fmt_VERSION VERSION_GREATER_EQUAL 9 AND fmt_VERSION VERSION_LESS 10)
  set(PUSHGATE_STATIC_HOOK_RUNTIME ON)
  add_library(pushgate_fmt9_library STATIC core/fmt/fmt9_library.cpp)
  target_link_libraries(pushgate_fmt9_library PRIVATE pushgate_options)
  target_include_directories(pushgate_fmt9_library PRIVATE $<TARGET_PROPERTY:fmt::fmt,INTERFACE_INCLUDE_DIRECTORIES>)
  target_link_libraries(pushgate_fmt INTERFACE
                        "$<IF:$<BOOL:$<TARGET_PROPERTY:PUSHGATE_STATIC_LIBS>>,pushgate_fmt9_library,fmt::fmt>")
else()
  set(PUSHGATE_STATIC_HOOK_RUNTIME OFF)
  target_link_libraries(pushgate_fmt INTERFACE fmt::fmt)
endif()

# Marks `target` as linked from archives (when they were found), with the C++
# runtime too when nothing shared needs it.
function(pushgate_link_statically target)
  if(NOT PUSHGATE_STATIC_HOOK_LIBS)
    return()
  endif()
  set_target_properties(${target} PROPERTIES PUSHGATE_STATIC_LIBS ON)
  target_link_options(${target} PRIVATE -Wl,--as-needed)
  if(PUSHGATE_STATIC_HOOK_RUNTIME)
    target_link_options(${target} PRIVATE -static-libstdc++ -static-libgcc)
  endif()
endfunction()
