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
  gtest_discover_tests(${name}
    PROPERTIES LABELS "${T_LABELS}"
    DISCOVERY_TIMEOUT 30)
endfunction()
