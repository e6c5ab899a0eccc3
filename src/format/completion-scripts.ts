// Shell completion scripts for `completion bash|zsh|fish|powershell`: each asks the program itself
// (`<name> __complete ...`, cobra's protocol) for the candidates of the word under the cursor and
// honours the directive line (1 error, 2 no space, 4 no file completion).

function ident(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, '_');
}

export function bashScript(name: string, descriptions: boolean): string {
  const fn = `__${ident(name)}_complete`;
  const req = descriptions ? '__complete' : '__completeNoDesc';
  return `# bash completion for ${name}                                  -*- shell-script -*-
${fn}() {
    local line=\${COMP_LINE:0:COMP_POINT}
    local -a words
    read -r -a words <<< "$line"
    [[ $line == *[[:space:]] ]] && words+=("")
    local cur=\${words[\${#words[@]}-1]}
    local out directive
    out=$("\${words[0]}" ${req} "\${words[@]:1}" 2>/dev/null) || return
    directive=\${out##*:}
    out=\${out%:*}
    [[ $directive =~ ^[0-9]+$ ]] || directive=0
    (( directive & 1 )) && return
    (( directive & 2 )) && compopt -o nospace 2>/dev/null
    # bash splits the word at COMP_WORDBREAKS (= and :): offer what follows the last break
    local brk=""
    [[ $cur == *[=:]* ]] && brk=\${cur%[=:]*}? && brk=\${cur:0:\${#brk}}
    local IFS=$'\\n' c
    COMPREPLY=()
    for c in $out; do
        c=\${c%%$'\\t'*}
        [[ $c == "$cur"* ]] && COMPREPLY+=("\${c:\${#brk}}")
    done
    if (( \${#COMPREPLY[@]} == 0 )) && (( (directive & 4) == 0 )); then
        compopt -o filenames 2>/dev/null
        COMPREPLY=($(compgen -f -- "\${cur:\${#brk}}"))
    fi
}
complete -F ${fn} ${name}
`;
}

export function zshScript(name: string, descriptions: boolean): string {
  const req = descriptions ? '__complete' : '__completeNoDesc';
  return `#compdef ${name}
# zsh completion for ${name}
_${ident(name)}() {
    local -a cands
    local out directive
    out=$(\${words[1]} ${req} "\${(@)words[2,CURRENT]}" 2>/dev/null) || return
    directive=\${out##*:}
    out=\${out%:*}
    (( directive & 1 )) && return
    local line
    for line in "\${(@f)out}"; do
        [[ -z $line ]] && continue
        cands+=("\${line/$'\\t'/:}")
    done
    if (( \${#cands} )); then
        if (( directive & 2 )); then _describe 'completions' cands -S ''; else _describe 'completions' cands; fi
    elif (( (directive & 4) == 0 )); then
        _files
    fi
}
compdef _${ident(name)} ${name}
`;
}

export function fishScript(name: string, descriptions: boolean): string {
  const req = descriptions ? '__complete' : '__completeNoDesc';
  const fn = `__${ident(name)}_complete`;
  return `# fish completion for ${name}
function ${fn}
    set -l args (commandline -opc)
    set -e args[1]
    set -l out (${name} ${req} $args (commandline -ct) 2>/dev/null)
    set -l directive (string replace -r '^:' '' -- $out[-1])
    set -e out[-1]
    if test (math "$directive % 2") -eq 1
        return
    end
    for c in $out
        echo $c
    end
    if test (count $out) -eq 0; and test (math "floor($directive / 4) % 2") -eq 0
        __fish_complete_path (commandline -ct)
    end
end
complete -c ${name} -f -a '(${fn})'
`;
}

export function powershellScript(name: string, descriptions: boolean): string {
  const req = descriptions ? '__complete' : '__completeNoDesc';
  return `# powershell completion for ${name}
Register-ArgumentCompleter -CommandName '${name}' -ScriptBlock {
    param($WordToComplete, $CommandAst, $CursorPosition)
    $words = @($CommandAst.CommandElements | Select-Object -Skip 1 | ForEach-Object { $_.ToString() })
    if ($WordToComplete -eq '') { $words += '""' }
    $out = @(& '${name}' ${req} @words 2>$null)
    if ($out.Count -eq 0) { return }
    $directive = [int]($out[-1] -replace '^:', '')
    if ($directive -band 1) { return }
    $out | Select-Object -SkipLast 1 | Where-Object { $_ -like "$WordToComplete*" } | ForEach-Object {
        $name, $desc = $_ -split "\`t", 2
        if (-not $desc) { $desc = $name }
        [System.Management.Automation.CompletionResult]::new($name, $name, 'ParameterValue', $desc)
    }
}
`;
}
