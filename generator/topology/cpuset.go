package topology

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// MaxCPUs is the most logical processors one host can have, so CPU ids run
// from 0 to MaxCPUs-1. It is the largest NR_CPUS the Linux kernel can be built
// with on x86-64 (CONFIG_NR_CPUS_RANGE_END under MAXSMP); a larger id is a
// typo, not a host, and bounding it keeps a hostile cpulist from expanding
// into millions of ids.
const MaxCPUs = 8192

// ErrInvalidCPUSet is wrapped by every ParseCPUSet error.
var ErrInvalidCPUSet = errors.New("invalid cpuset")

// CPUSet is an immutable set of logical CPU ids. The zero value is the empty
// set. Sets are compared with Equal (go-cmp uses it too).
type CPUSet struct {
	ids []int // ascending, unique, each in [0, MaxCPUs)
}

// NewCPUSet returns the set of ids, in any order and with repeats. An id
// outside [0, MaxCPUs) is a programming error and panics: every set must print
// as a cpulist that ParseCPUSet reads back.
func NewCPUSet(ids ...int) CPUSet {
	if len(ids) == 0 {
		return CPUSet{}
	}
	s := slices.Clone(ids)
	slices.Sort(s)
	s = slices.Compact(s)
	if s[0] < 0 || s[len(s)-1] >= MaxCPUs {
		panic(fmt.Sprintf("topology: CPU id out of range [0,%d): %v", MaxCPUs, ids))
	}
	return CPUSet{ids: s}
}

// ParseCPUSet reads a Linux cpulist such as "0-3,8,10-11" (the format of
// /sys/devices/system/node/node0/cpulist and of PerformanceProfile fields).
// Surrounding white space is ignored and "" is the empty set. Overlapping
// items are merged; reversed ranges, negative or non-decimal numbers, empty
// items and ids of MaxCPUs or more are errors. The kernel's stride syntax
// ("0-7:2") is not accepted because neither lscpu nor a PerformanceProfile
// uses it.
func ParseCPUSet(s string) (CPUSet, error) {
	text := strings.TrimSpace(s)
	if text == "" {
		return CPUSet{}, nil
	}
	var seen [MaxCPUs]bool // a bitmap keeps "0-8191,0-8191,..." linear in len(s)
	for item := range strings.SplitSeq(text, ",") {
		lo, hi, err := parseCPURange(item)
		if err != nil {
			return CPUSet{}, fmt.Errorf("%w %q: %s", ErrInvalidCPUSet, s, err)
		}
		for id := lo; id <= hi; id++ {
			seen[id] = true
		}
	}
	var ids []int
	for id, ok := range seen {
		if ok {
			ids = append(ids, id)
		}
	}
	return CPUSet{ids: ids}, nil
}

// parseCPURange reads one cpulist item, "N" or "N-M".
func parseCPURange(item string) (lo, hi int, err error) {
	if item == "" {
		return 0, 0, errors.New("empty item (two commas in a row, or a comma at an end)")
	}
	first, last, isRange := strings.Cut(item, "-")
	if lo, err = parseCPUID(first, item); err != nil {
		return 0, 0, err
	}
	if !isRange {
		return lo, lo, nil
	}
	if hi, err = parseCPUID(last, item); err != nil {
		return 0, 0, err
	}
	if hi < lo {
		return 0, 0, fmt.Errorf("range %q is reversed; write %d-%d", item, hi, lo)
	}
	return lo, hi, nil
}

// parseCPUID reads a decimal CPU id; item is the cpulist item it came from.
func parseCPUID(s, item string) (int, error) {
	if s == "" || strings.TrimLeft(s, "0123456789") != "" {
		return 0, fmt.Errorf("%q is not a CPU id or a range of them (ids are decimal numbers from 0)", item)
	}
	id, err := strconv.Atoi(s)
	if err != nil || id >= MaxCPUs {
		return 0, fmt.Errorf("CPU %s is above %d, the largest id Linux supports", s, MaxCPUs-1)
	}
	return id, nil
}

// String returns the compact cpulist, e.g. "0-1,40-41"; "" for the empty set.
func (s CPUSet) String() string {
	var b strings.Builder
	for i := 0; i < len(s.ids); {
		j := i
		for j+1 < len(s.ids) && s.ids[j+1] == s.ids[j]+1 {
			j++
		}
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(s.ids[i]))
		if j > i {
			b.WriteByte('-')
			b.WriteString(strconv.Itoa(s.ids[j]))
		}
		i = j + 1
	}
	return b.String()
}

// MarshalText writes the set as its cpulist, so JSON and YAML carry it the
// way a PerformanceProfile does.
func (s CPUSet) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a cpulist with ParseCPUSet.
func (s *CPUSet) UnmarshalText(text []byte) error {
	set, err := ParseCPUSet(string(text))
	if err != nil {
		return err
	}
	*s = set
	return nil
}

// Len is the number of CPUs in the set.
func (s CPUSet) Len() int { return len(s.ids) }

// IsEmpty reports whether the set has no CPU.
func (s CPUSet) IsEmpty() bool { return len(s.ids) == 0 }

// Contains reports whether id is in the set.
func (s CPUSet) Contains(id int) bool {
	_, found := slices.BinarySearch(s.ids, id)
	return found
}

// Slice returns the ids in ascending order; the caller owns the slice.
func (s CPUSet) Slice() []int { return slices.Clone(s.ids) }

// Equal reports whether both sets hold the same ids.
func (s CPUSet) Equal(o CPUSet) bool { return slices.Equal(s.ids, o.ids) }

// Union returns the ids in s or o.
func (s CPUSet) Union(o CPUSet) CPUSet {
	return merge(s, o, func(inS, inO bool) bool { return inS || inO })
}

// Intersect returns the ids in both s and o.
func (s CPUSet) Intersect(o CPUSet) CPUSet {
	return merge(s, o, func(inS, inO bool) bool { return inS && inO })
}

// Difference returns the ids in s but not in o.
func (s CPUSet) Difference(o CPUSet) CPUSet {
	return merge(s, o, func(inS, inO bool) bool { return inS && !inO })
}

// merge walks both sorted lists once and keeps the ids that keep accepts.
func merge(s, o CPUSet, keep func(inS, inO bool) bool) CPUSet {
	var out []int
	i, j := 0, 0
	for i < len(s.ids) || j < len(o.ids) {
		switch {
		case j == len(o.ids) || (i < len(s.ids) && s.ids[i] < o.ids[j]):
			if keep(true, false) {
				out = append(out, s.ids[i])
			}
			i++
		case i == len(s.ids) || o.ids[j] < s.ids[i]:
			if keep(false, true) {
				out = append(out, o.ids[j])
			}
			j++
		default:
			if keep(true, true) {
				out = append(out, s.ids[i])
			}
			i, j = i+1, j+1
		}
	}
	return CPUSet{ids: out}
}
