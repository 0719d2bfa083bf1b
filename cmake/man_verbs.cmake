# Writes a help2man include file whose VERBS section holds `thrift-call VERB
# --help` of every verb the top-level help lists, examples included (CLI11's
# --help-all leaves out each verb's examples).
# usage: cmake -DTHRIFT_CALL=path/to/thrift-call -DOUTPUT=verbs.h2m -P man_verbs.cmake
execute_process(COMMAND ${THRIFT_CALL} --help OUTPUT_VARIABLE top COMMAND_ERROR_IS_FATAL ANY)
string(REGEX MATCH "Subcommands:\n(  [^\n]*\n)+" block "${top}")
string(REGEX MATCHALL "\n  [a-z][a-z_-]*" verbs "${block}")
set(text "[VERBS]\n")
foreach(verb IN LISTS verbs)
  string(STRIP "${verb}" verb)
  execute_process(COMMAND ${THRIFT_CALL} ${verb} --help OUTPUT_VARIABLE help COMMAND_ERROR_IS_FATAL ANY)
  # roff: backslashes written as \e, and a line starting with . or ' kept as text.
  string(REPLACE "\\" "\\e" help "${help}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" help "${help}")
  string(APPEND text ".SS ${verb}\n.nf\n${help}.fi\n")
endforeach()
file(WRITE ${OUTPUT} "${text}")
