package catalog

import (
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// columns is the header metal.csv must have, in this order.
var columns = []string{"name", "vcpus", "cores", "threadsPerCore", "sockets", "memoryGiB", "networkGbps", "networkCards", "maxENIs", "efa", "nvmeDisks", "nvmeDiskGB", "enaExpress"}

func mustParse(data string) []InstanceType {
	types, err := parseTable(data)
	if err != nil {
		panic(err)
	}
	return types
}

// parseTable reads the CSV table, checks every row and sorts it by name.
func parseTable(data string) ([]InstanceType, error) {
	r := csv.NewReader(strings.NewReader(data))
	r.Comment = '#'
	r.FieldsPerRecord = len(columns)
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("catalog table: %w", err)
	}
	if !slices.Equal(header, columns) {
		return nil, fmt.Errorf("catalog table: header %v, want %v", header, columns)
	}
	var types []InstanceType
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("catalog table: %w", err)
		}
		line, _ := r.FieldPos(0)
		it, err := parseRow(rec)
		if err == nil {
			err = it.check()
		}
		if err != nil {
			return nil, fmt.Errorf("catalog table line %d: %w", line, err)
		}
		types = append(types, it)
	}
	return sortUnique(types)
}

func parseRow(rec []string) (InstanceType, error) {
	it := InstanceType{Name: rec[0]}
	ints := []struct {
		col int
		dst *int
	}{{1, &it.VCPUs}, {2, &it.Cores}, {3, &it.ThreadsPerCore}, {4, &it.Sockets}, {5, &it.MemoryGiB}, {7, &it.NetworkCards}, {8, &it.MaxENIs}}
	for _, f := range ints {
		n, err := strconv.Atoi(rec[f.col])
		if err != nil || n < 1 {
			return it, fmt.Errorf("%s: %s %q is not a positive whole number", it.Name, columns[f.col], rec[f.col])
		}
		*f.dst = n
	}
	var err error
	if it.NetworkGbps, err = strconv.ParseFloat(rec[6], 64); err != nil || it.NetworkGbps <= 0 {
		return it, fmt.Errorf("%s: networkGbps %q is not a positive number", it.Name, rec[6])
	}
	if it.EFA, err = strconv.ParseBool(rec[9]); err != nil {
		return it, fmt.Errorf("%s: efa %q is not true or false", it.Name, rec[9])
	}
	if it.ENAExpress, err = strconv.ParseBool(rec[12]); err != nil {
		return it, fmt.Errorf("%s: enaExpress %q is not true or false", it.Name, rec[12])
	}
	return it, parseStorage(&it, rec[10], rec[11])
}

// parseStorage reads the instance store columns: both zero (EBS only) or
// both positive.
func parseStorage(it *InstanceType, disks, gb string) error {
	n, err1 := strconv.Atoi(disks)
	size, err2 := strconv.Atoi(gb)
	if err1 != nil || err2 != nil || n < 0 || size < 0 || (n == 0) != (size == 0) {
		return fmt.Errorf("%s: nvmeDisks %q and nvmeDiskGB %q must be both 0 or both positive whole numbers", it.Name, disks, gb)
	}
	it.NVMeDisks, it.NVMeDiskGB = n, size
	return nil
}

// check enforces the arithmetic DescribeInstanceTypes guarantees and the
// catalog's topology assumes.
func (it InstanceType) check() error {
	switch {
	case it.VCPUs != it.Cores*it.ThreadsPerCore:
		return fmt.Errorf("%s: %d vCPUs is not %d cores × %d threads", it.Name, it.VCPUs, it.Cores, it.ThreadsPerCore)
	case it.Cores%it.Sockets != 0:
		return fmt.Errorf("%s: %d cores do not divide over %d sockets", it.Name, it.Cores, it.Sockets)
	}
	return nil
}

func sortUnique(types []InstanceType) ([]InstanceType, error) {
	slices.SortFunc(types, func(a, b InstanceType) int { return cmp.Compare(a.Name, b.Name) })
	for i := 1; i < len(types); i++ {
		if types[i].Name == types[i-1].Name {
			return nil, fmt.Errorf("catalog table: %s is listed twice", types[i].Name)
		}
	}
	return types, nil
}
