package history

import (
	"path"
	"strings"
)

// Match reports whether pattern selects metric. A pattern is a path.Match
// pattern over the slash-separated name, and it also selects every metric
// under a prefix it matches: podLatency selects all podLatency metrics and
// podLatency/*/Ready all statistics of Ready in every job.
func Match(pattern, metric string) bool {
	for prefix := metric; ; {
		if ok, _ := path.Match(pattern, prefix); ok {
			return true
		}
		i := strings.LastIndexByte(prefix, '/')
		if i < 0 {
			return false
		}
		prefix = prefix[:i]
	}
}

// validPattern reports whether pattern is well-formed for path.Match.
func validPattern(pattern string) bool {
	_, err := path.Match(pattern, "")
	return err == nil
}
