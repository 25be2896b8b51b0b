//go:build !linux

package tree

// exchange swaps staged and current with two renames where the platform has
// no atomic directory exchange.
func exchange(staged, current, old string) error { return twoRenames(staged, current, old) }
