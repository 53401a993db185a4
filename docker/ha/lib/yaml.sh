# shellcheck shell=bash
# YAML scalars written from values the user typed.

# yaml_quote VAR TEXT: TEXT as a single-quoted YAML scalar (a quote is doubled), into VAR.
# Values reaching here were checked to be one line.
yaml_quote() {
  local quoted=${2//\'/\'\'}
  printf -v "$1" "'%s'" "$quoted"
}
