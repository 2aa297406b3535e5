# SPDX-License-Identifier: BSD-3-Clause
# Writes the geoinv man page and bash completion by running the built geoinv (cmake -P script).
# Inputs: GEOINV (the geoinv executable), MAN_PAGE and COMPLETION (the files to write).
foreach(pair "help;--man;${MAN_PAGE}" "completion;bash;${COMPLETION}")
  list(GET pair 0 command)
  list(GET pair 1 argument)
  list(GET pair 2 file)
  get_filename_component(folder "${file}" DIRECTORY)
  file(MAKE_DIRECTORY "${folder}")
  execute_process(COMMAND "${GEOINV}" ${command} ${argument} OUTPUT_FILE "${file}" RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "geoinv ${command} ${argument} failed (${status})")
  endif()
endforeach()
