package tree

import "os"

// twoRenames moves current aside to old, then staged into current.
func twoRenames(staged, current, old string) error {
	if err := os.Rename(current, old); err != nil {
		return err
	}
	return os.Rename(staged, current)
}
