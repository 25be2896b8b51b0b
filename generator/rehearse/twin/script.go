package twin

import (
	"fmt"
	"path"
	"sort"
	"strings"
)

// shellScript is a container that runs bash or sh on a script: a file
// (`/bin/bash /scripts/pass.sh ARGS`) or inline text (`sh -c TEXT`). The
// twin runs such a container with the shell of the machine it runs on
// (script_run.go).
type shellScript struct {
	shell string   // bash or sh
	args  []string // the shell's arguments: options, then the script and its arguments
	// at is the index in args of the script file or, when inline, of the
	// -c text.
	at     int
	inline bool
}

// shells are the shells the twin runs scripts with.
var shells = map[string]bool{"bash": true, "sh": true}

// shellScriptOf recognises a shell script in a container's argv (command
// and args, $(VAR) references expanded): the shell by its base name, also
// behind /usr/bin/env. ok is false for any other program; err is a shell
// the twin cannot give a script to (one that reads standard input).
func shellScriptOf(argv []string) (s *shellScript, ok bool, err error) {
	if len(argv) > 1 && path.Base(argv[0]) == "env" {
		argv = argv[1:]
	}
	if len(argv) == 0 || !shells[path.Base(argv[0])] {
		return nil, false, nil
	}
	s = &shellScript{shell: path.Base(argv[0]), args: argv[1:], at: -1}
	// Options come first; the first other word is the -c text or the
	// script file (a break below ends the loop there).
	for i := 0; i < len(s.args); i++ {
		a := s.args[i]
		switch {
		case a == "--":
			s.at = i + 1
		case a == "--rcfile" || a == "--init-file":
			i++
			continue
		case strings.HasPrefix(a, "--"):
			continue
		case len(a) > 1 && (a[0] == '-' || a[0] == '+'):
			s.inline = s.inline || (a[0] == '-' && strings.ContainsRune(a, 'c'))
			if strings.ContainsRune(a[1:], 's') && a[0] == '-' {
				return nil, true, fmt.Errorf("%s -s reads its script from standard input, which the twin does not model", s.shell)
			}
			if strings.HasSuffix(a, "o") {
				i++ // -o OPTION
			}
			continue
		default:
			s.at = i
		}
		break
	}
	if s.at < 0 || s.at >= len(s.args) {
		return nil, true, fmt.Errorf("%s without a script file or -c reads standard input, which the twin does not model", s.shell)
	}
	return s, true, nil
}

// expandVars expands $(NAME) references as the kubelet does in a
// container's command, args and env values (kubernetes v1.34
// third_party/forked/golang/expansion): $$ is a $, an undefined reference
// stays as written.
func expandVars(s string, lookup func(string) (string, bool)) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i+1 >= len(s) {
			b.WriteByte(s[i])
			continue
		}
		switch s[i+1] {
		case '$':
			b.WriteByte('$')
			i++
		case '(':
			end := strings.IndexByte(s[i+2:], ')')
			if end < 0 {
				b.WriteString(s[i:])
				return b.String()
			}
			name := s[i+2 : i+2+end]
			if v, ok := lookup(name); ok {
				b.WriteString(v)
			} else {
				b.WriteString(s[i : i+3+end])
			}
			i += 2 + end
		default:
			b.WriteByte('$')
		}
	}
	return b.String()
}

// rewritePaths points every word that names a path under a mount at the
// mount's copy on this machine; an inline script's text is rewritten
// wherever a mount path starts a path. mounts maps mount paths to copies.
func (s *shellScript) rewritePaths(mounts map[string]string) {
	for i, a := range s.args {
		if s.inline && i == s.at {
			s.args[i] = rewriteText(a, mounts)
			continue
		}
		s.args[i] = rewriteWord(a, mounts)
	}
}

func rewriteWord(w string, mounts map[string]string) string {
	best := ""
	for m := range mounts {
		if (w == m || strings.HasPrefix(w, strings.TrimSuffix(m, "/")+"/")) && len(m) > len(best) {
			best = m
		}
	}
	if best == "" {
		return w
	}
	return mounts[best] + strings.TrimPrefix(w, best)
}

// rewriteText replaces mount paths that start a path in text: preceded by
// the start, a space, a quote, = or ( and followed by / or the end of the
// word. Longer mount paths go first.
func rewriteText(text string, mounts map[string]string) string {
	var order []string
	for m := range mounts {
		order = append(order, m)
	}
	sortLongestFirst(order)
	var b strings.Builder
	for i := 0; i < len(text); {
		if i == 0 || strings.ContainsRune(" \t\n\"'=(:", rune(text[i-1])) {
			if m, ok := mountAt(text[i:], order); ok {
				b.WriteString(mounts[m])
				i += len(m)
				continue
			}
		}
		b.WriteByte(text[i])
		i++
	}
	return b.String()
}

func mountAt(text string, order []string) (string, bool) {
	for _, m := range order {
		if strings.HasPrefix(text, m) && (len(text) == len(m) || strings.ContainsRune("/ \t\n\"';)", rune(text[len(m)]))) {
			return m, true
		}
	}
	return "", false
}

func sortLongestFirst(list []string) {
	sort.Slice(list, func(i, j int) bool {
		if len(list[i]) != len(list[j]) {
			return len(list[i]) > len(list[j])
		}
		return list[i] < list[j]
	})
}

// tail is the last n non-empty lines of out, each cut to a readable
// length, joined for a timeline message.
func tail(out string, n int) string {
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			if len(l) > 300 {
				l = l[:300] + "…"
			}
			lines = append(lines, l)
		}
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "; ")
}
