# bash completion for thrift-call.
# Candidates come from the binary (`thrift-call __complete WORD... CURRENT`),
# which knows its verbs, flags and the IDL in use: this script stays as is
# when verbs are added.
_thrift_call() {
    local cur words cword
    if declare -F _get_comp_words_by_ref >/dev/null; then
        # bash-completion: keep host:port and --flag=value in one word
        _get_comp_words_by_ref -n =: cur words cword
    else
        cur=${COMP_WORDS[COMP_CWORD]}
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
    fi
    local IFS=$'\n'
    local -a reply
    reply=($("${words[0]}" __complete "${words[@]:1:cword-1}" "$cur" 2>/dev/null))
    COMPREPLY=()
    case ${reply[0]} in
        :files)
            compopt -o filenames 2>/dev/null
            COMPREPLY=($(compgen -f -- "$cur"))
            ;;
        :dirs)
            compopt -o filenames 2>/dev/null
            COMPREPLY=($(compgen -d -- "$cur"))
            ;;
        *)
            COMPREPLY=("${reply[@]:1}")
            ;;
    esac
    if declare -F __ltrim_colon_completions >/dev/null; then
        __ltrim_colon_completions "$cur"
    fi
}
complete -F _thrift_call thrift-call
