package compare

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ParsePercent reads a percentage such as "5%" or "5" and returns 5.
func ParsePercent(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%")), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is not a percentage such as 5%%", s)
	}
	if v < 0 {
		return 0, fmt.Errorf("percentage %q is negative", s)
	}
	return v, nil
}

// FormatPercent writes p the way ParsePercent reads it.
func FormatPercent(p float64) string {
	return strconv.FormatFloat(p, 'f', -1, 64) + "%"
}
