package review

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
)

// none stands for an absent value where a change prints old → new.
const none = "(none)"

// formatValue prints a decoded value on one line in YAML flow style:
// {count: 16, size: 1G}, [a, b]. Strings stay bare unless YAML would read
// them as something else or they span lines.
func formatValue(v any) string {
	var b strings.Builder
	writeValue(&b, v, false)
	return b.String()
}

// writeValue writes v; nested is true inside a flow collection, where
// commas and brackets in a string would end it.
func writeValue(b *strings.Builder, v any, nested bool) {
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteString("{")
		for i, k := range keys {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(formatString(k, true) + ": ")
			writeValue(b, v[k], true)
		}
		b.WriteString("}")
	case []any:
		b.WriteString("[")
		for i, item := range v {
			if i > 0 {
				b.WriteString(", ")
			}
			writeValue(b, item, true)
		}
		b.WriteString("]")
	case string:
		b.WriteString(formatString(v, nested))
	case nil:
		b.WriteString("null")
	default:
		data, _ := json.Marshal(v)
		b.Write(data)
	}
}

// formatString quotes a string only when it would not read back as the same
// string: empty, a YAML keyword or number, surrounding space, control
// characters, a leading indicator, or (nested) flow punctuation.
func formatString(s string, nested bool) string {
	if s == "" || strings.TrimSpace(s) != s || strings.ContainsAny(s, "\n\t\r") || looksTyped(s) ||
		strings.ContainsAny(s[:1], "\"'{}[]#&*!|>%@`,") || hasIndicator(s) || strings.Contains(s, ": ") || strings.Contains(s, " #") ||
		nested && strings.ContainsAny(s, ",{}[]") {
		return strconv.Quote(s)
	}
	return s
}

func hasIndicator(s string) bool {
	for _, p := range []string{"- ", "? ", ":"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

func looksTyped(s string) bool {
	switch strings.ToLower(s) {
	case "true", "false", "null", "~", "yes", "no", "on", "off":
		return true
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// formatOrNone is formatValue with absent values spelled out.
func formatOrNone(v any) string {
	if v == nil {
		return none
	}
	return formatValue(v)
}

// itemValue is what an added or removed field prints after its path; an
// item of a list of scalars is already named by its path (args[=-v]).
func itemValue(f *FieldChange) string {
	v := f.New
	if f.Change == Removed {
		v = f.Old
	}
	if isScalar(v) && strings.HasSuffix(f.Path, "[="+scalarText(v)+"]") {
		return ""
	}
	return ": " + formatValue(v)
}
