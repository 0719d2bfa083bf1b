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
        # bash splits --flag=value at '=': join them back
        if [[ $cur == = && ${words[cword-1]} == -* ]]; then
            cur="${words[cword-1]}="
            words=("${words[@]:0:cword-1}")
            cword=$((cword - 1))
        elif [[ ${words[cword-1]} == = && ${words[cword-2]} == -* ]]; then
            cur="${words[cword-2]}=$cur"
            words=("${words[@]:0:cword-2}")
            cword=$((cword - 2))
        fi
    fi
    # readline replaces only what follows '=' (a word break): answer that part
    local prefix=""
    if [[ $cur == --*=* && $COMP_WORDBREAKS == *=* ]]; then
        prefix="${cur%%=*}="
    fi
    local IFS=$'\n'
    local -a reply
    reply=($("${words[0]}" __complete "${words[@]:1:cword-1}" "$cur" 2>/dev/null))
    COMPREPLY=()
    case ${reply[0]} in
        :files)
            compopt -o filenames 2>/dev/null
            COMPREPLY=($(compgen -f -- "${cur#"$prefix"}"))
            ;;
        :dirs)
            compopt -o filenames 2>/dev/null
            COMPREPLY=($(compgen -d -- "${cur#"$prefix"}"))
            ;;
        *)
            COMPREPLY=("${reply[@]:1}")
            if [[ -n $prefix && ${#COMPREPLY[@]} -gt 0 ]]; then
                COMPREPLY=("${COMPREPLY[@]#"$prefix"}")
            fi
            ;;
    esac
    if declare -F __ltrim_colon_completions >/dev/null; then
        __ltrim_colon_completions "$cur"
    fi
}
complete -F _thrift_call thrift-call
