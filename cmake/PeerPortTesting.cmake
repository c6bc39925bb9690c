# peerport_add_gtest(NAME LABELS label... SOURCES file... [LIBS lib...])
# One gtest executable, registered with ctest under the given labels (unit, interop, lab, ui,
# bench, fuzz, packaging), so `ctest -L unit` picks exactly the fast offline tests.
include(GoogleTest)
function(peerport_add_gtest name)
  cmake_parse_arguments(T "" "" "LABELS;SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE peerport_core GTest::gtest GTest::gtest_main ${T_LIBS})
  target_compile_definitions(${name} PRIVATE
    PEERPORT_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    PEERPORT_BINARY_DIR="${PROJECT_BINARY_DIR}")
  peerport_warnings(${name})
  if(CMAKE_CROSSCOMPILING)
    # One process per executable (under CMAKE_CROSSCOMPILING_EMULATOR, e.g. Wine): listing and
    # starting each case on its own would cost a Wine start-up per case.
    add_test(NAME ${name} COMMAND ${name})
    set_tests_properties(${name} PROPERTIES LABELS "${T_LABELS}" TIMEOUT 300)
  else()
    gtest_discover_tests(${name}
      PROPERTIES LABELS "${T_LABELS}"
      DISCOVERY_TIMEOUT 30)
  endif()
endfunction()

# peerport_add_qttest(NAME LABELS label... SOURCES file... [LIBS lib...] [ENVIRONMENT var=value...])
# One QtTest executable against peerport_ui, run on the offscreen platform (no display needed)
# unless ENVIRONMENT says otherwise.
function(peerport_add_qttest name)
  cmake_parse_arguments(T "" "TIMEOUT" "LABELS;SOURCES;LIBS;ENVIRONMENT" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  set_target_properties(${name} PROPERTIES AUTOMOC ON)
  target_link_libraries(${name} PRIVATE peerport_ui Qt6::Test ${T_LIBS})
  target_compile_definitions(${name} PRIVATE
    PEERPORT_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    PEERPORT_BINARY_DIR="${PROJECT_BINARY_DIR}")
  peerport_warnings(${name})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES
    LABELS "${T_LABELS}"
    TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;PEERPORT_NO_KEYCHAIN=1;${T_ENVIRONMENT}")
endfunction()
