package topology

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseCPUSetAcceptsLinuxCPULists(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"an empty string is the empty set", "", ""},
		{"white space around the list is ignored, as in a sysfs file", " 0-3\n", "0-3"},
		{"single ids and ranges mix", "0-3,8,10-11", "0-3,8,10-11"},
		{"items in any order are sorted", "10-11,0-3,8", "0-3,8,10-11"},
		{"overlapping and repeated items are merged", "0-3,2-5,5,5", "0-5"},
		{"adjacent items are merged", "0,1,2,4-5,6", "0-2,4-6"},
		{"two consecutive ids print as a range", "40,41,0,1", "0-1,40-41"},
		{"the largest id is accepted", "8191", "8191"},
		{"leading zeros are read as decimal", "007,010", "7,10"},
		{"a one-id range is that id", "5-5", "5"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := ParseCPUSet(c.in)
			if err != nil {
				t.Fatal(err)
			}
			if got := s.String(); got != c.want {
				t.Errorf("ParseCPUSet(%q).String() = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestParseCPUSetRejectsGarbage(t *testing.T) {
	cases := []struct {
		name, in, says string
	}{
		{"a word is rejected", "all", `"all" is not a CPU id`},
		{"a reversed range is rejected with the fix", "5-3", `range "5-3" is reversed; write 3-5`},
		{"a negative id is rejected", "-1", `"-1" is not a CPU id`},
		{"a sign is rejected", "+1", `"+1" is not a CPU id`},
		{"an id above the kernel's limit is rejected", "0-8192", "CPU 8192 is above 8191"},
		{"a huge id is rejected without overflow", "99999999999999999999999", "is above 8191"},
		{"a trailing comma is rejected", "0-3,", "empty item"},
		{"two commas in a row are rejected", "0,,1", "empty item"},
		{"the kernel's stride syntax is rejected", "0-7:2", `"0-7:2" is not a CPU id`},
		{"an open range is rejected", "3-", `"3-" is not a CPU id`},
		{"spaces inside the list are rejected", "0, 1", `" 1" is not a CPU id`},
		{"a double range is rejected", "1-2-3", `"1-2-3" is not a CPU id`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseCPUSet(c.in)
			if !errors.Is(err, ErrInvalidCPUSet) {
				t.Fatalf("ParseCPUSet(%q) error = %v, want ErrInvalidCPUSet", c.in, err)
			}
			if !strings.Contains(err.Error(), c.says) {
				t.Errorf("error %q does not say %q", err, c.says)
			}
		})
	}
}

func TestCPUSetOperations(t *testing.T) {
	a, b := NewCPUSet(0, 1, 2, 3, 8), NewCPUSet(2, 3, 4, 9)
	got := map[string]string{
		"union":      a.Union(b).String(),
		"intersect":  a.Intersect(b).String(),
		"difference": a.Difference(b).String(),
		"reverse":    b.Difference(a).String(),
		"empty":      a.Intersect(CPUSet{}).String(),
	}
	want := map[string]string{
		"union": "0-4,8-9", "intersect": "2-3", "difference": "0-1,8", "reverse": "4,9", "empty": "",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("set operations (-want +got):\n%s", diff)
	}
	if a.Len() != 5 || !a.Contains(8) || a.Contains(4) || !(CPUSet{}).IsEmpty() {
		t.Errorf("Len/Contains/IsEmpty wrong for %s", a)
	}
}

func TestCPUSetSliceIsACopy(t *testing.T) {
	s := NewCPUSet(3, 1, 2, 1)
	ids := s.Slice()
	if diff := cmp.Diff([]int{1, 2, 3}, ids); diff != "" {
		t.Errorf("Slice (-want +got):\n%s", diff)
	}
	ids[0] = 99
	if !s.Contains(1) || s.Contains(99) {
		t.Errorf("changing Slice's result changed the set: %s", s)
	}
}

func TestNewCPUSetPanicsOnIDsThatCannotPrint(t *testing.T) {
	for _, id := range []int{-1, MaxCPUs} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("NewCPUSet(%d) did not panic", id)
				}
			}()
			NewCPUSet(id)
		}()
	}
}

func TestCPUSetsCompareWithCmp(t *testing.T) {
	// Partition values are compared with go-cmp across the project.
	a := Partition{Reserved: NewCPUSet(0, 1)}
	b := Partition{Reserved: NewCPUSet(1, 0, 1)}
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("equal partitions differ:\n%s", diff)
	}
}

func TestCPUSetIsACPUListInJSON(t *testing.T) {
	data, err := json.Marshal(Partition{Reserved: NewCPUSet(0, 1, 48, 49)})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"Reserved":"0-1,48-49","Isolated":"","Offlined":"","Disabled":""}`
	if string(data) != want {
		t.Errorf("json = %s, want %s", data, want)
	}
	var back Partition
	if err := json.Unmarshal(data, &back); err != nil || !back.Reserved.Equal(NewCPUSet(0, 1, 48, 49)) {
		t.Errorf("read back %+v, %v", back, err)
	}
	if err := json.Unmarshal([]byte(`{"Reserved":"3-1"}`), &back); !errors.Is(err, ErrInvalidCPUSet) {
		t.Errorf("bad cpulist gave %v", err)
	}
}

func FuzzParseCPUSet(f *testing.F) {
	for _, s := range []string{"", "0", "0-3,8,10-11", "0-1,40-41", "5-3", "8191", "0-8191", "1,,2", "-1", " 7 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		set, err := ParseCPUSet(s)
		if err != nil {
			if !errors.Is(err, ErrInvalidCPUSet) {
				t.Fatalf("error %v does not wrap ErrInvalidCPUSet", err)
			}
			return
		}
		again, err := ParseCPUSet(set.String())
		if err != nil {
			t.Fatalf("String() of %q is %q, which does not parse: %v", s, set.String(), err)
		}
		if !again.Equal(set) || again.String() != set.String() {
			t.Fatalf("round trip of %q: %q became %q", s, set, again)
		}
	})
}
