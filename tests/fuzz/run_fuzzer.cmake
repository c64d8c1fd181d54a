# Runs one libFuzzer target for a bounded time over a copy of its committed corpus plus its
# saved regressions (cmake -P; called by the fuzz.<target> CTest entries).
#   -DFUZZER=<binary> -DCORPUS=<dir> -DREGRESSIONS=<dir> -DWORK_DIR=<dir> -DSECONDS=<n>

foreach(var FUZZER CORPUS REGRESSIONS WORK_DIR SECONDS)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_fuzzer.cmake: -D${var}=... is required")
  endif()
endforeach()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}/corpus" "${WORK_DIR}/artifacts")
file(GLOB seeds "${CORPUS}/*")
if(seeds)
  file(COPY ${seeds} DESTINATION "${WORK_DIR}/corpus")
endif()

set(dirs "${WORK_DIR}/corpus")
if(IS_DIRECTORY "${REGRESSIONS}")
  list(APPEND dirs "${REGRESSIONS}")
endif()

execute_process(
  COMMAND "${FUZZER}" -max_total_time=${SECONDS} -timeout=10 -rss_limit_mb=2048
          -print_final_stats=1 "-artifact_prefix=${WORK_DIR}/artifacts/" ${dirs}
  WORKING_DIRECTORY "${WORK_DIR}"
  RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "${FUZZER} failed (${result}); the crashing input is in "
                      "${WORK_DIR}/artifacts/: see tests/fuzz/README.md to keep it as a regression")
endif()
