# fish completion for thrift-call.
# Candidates come from the binary (`thrift-call __complete WORD... CURRENT`),
# which knows its verbs, flags and the IDL in use.
function __thrift_call_complete
    set -l words (commandline -opc)
    set -l current (commandline -ct)
    set -l reply ($words[1] __complete $words[2..-1] "$current" 2>/dev/null)
    switch "$reply[1]"
        case :files
            __fish_complete_path "$current"
        case :dirs
            __fish_complete_directories "$current"
        case '*'
            printf '%s\n' $reply[2..-1]
    end
end
complete -c thrift-call -f -a '(__thrift_call_complete)'
