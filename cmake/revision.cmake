cmake_minimum_required(VERSION 3.25)
# Writes OUT (a header defining rekmock::kRevision) from the checkout's git revision, or from
# REVISION when given (a build from a source archive, which has no .git), else "unknown".
# configure_file leaves OUT untouched when its text is unchanged, so only a new commit rebuilds
# what includes it.
if(NOT REVISION)
  execute_process(COMMAND git -C "${SOURCE_DIR}" rev-parse --short=12 HEAD
                  OUTPUT_VARIABLE REVISION OUTPUT_STRIP_TRAILING_WHITESPACE
                  RESULT_VARIABLE failed ERROR_QUIET)
  if(failed OR NOT REVISION)
    set(REVISION "unknown")
  endif()
endif()
file(WRITE "${OUT}.in" "#pragma once\n\nnamespace rekmock {\n// The git revision built.\ninline constexpr const char* kRevision = \"@REVISION@\";\n}  // namespace rekmock\n")
configure_file("${OUT}.in" "${OUT}" @ONLY)
