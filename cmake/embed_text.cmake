# Writes OUTPUT, a C++ source defining `std::string_view FUNCTION()` (FUNCTION may be qualified,
# e.g. ns::name, and must be declared in HEADER) that returns the bytes of INPUT. Run at build
# time through server/CMakeLists.txt's rekmock_embed_text (the moderation taxonomy, the browser
# view's files, the control plane's OpenAPI document), so an edited INPUT is compiled in again:
#   cmake -DINPUT=file -DOUTPUT=file.cpp -DHEADER=decl.hpp -DFUNCTION=ns::name -P embed_text.cmake
# A char array rather than a string literal: no delimiter can clash with the text, and no
# compiler limit on literal length (-Woverlength-strings) applies.
foreach(var INPUT OUTPUT HEADER FUNCTION)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "embed_text.cmake needs -D${var}=...")
  endif()
endforeach()

file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
# Sixteen bytes a line (CMake's regular expressions have no {n}, hence the REPEAT).
string(REPEAT "[0-9a-f]" 32 line)
string(REGEX REPLACE "(${line})" "\\1\n    " hex "${hex}")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")

get_filename_component(input_name "${INPUT}" NAME)
file(WRITE "${OUTPUT}"
"// Generated from ${input_name} by embed_text.cmake: edit that file, not this one.
#include \"${HEADER}\"

namespace {
constexpr char kBytes[${size} + 1] = {
    ${bytes}'\\0'};
}  // namespace

std::string_view ${FUNCTION}() { return {kBytes, ${size}}; }
")
