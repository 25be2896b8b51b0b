package tree

import (
	"errors"

	"golang.org/x/sys/unix"
)

// exchange swaps two directories in one atomic step (renameat2
// RENAME_EXCHANGE), so no moment exists where current is missing. On
// filesystems without it, it falls back to two renames.
func exchange(staged, current, old string) error {
	err := unix.Renameat2(unix.AT_FDCWD, staged, unix.AT_FDCWD, current, unix.RENAME_EXCHANGE)
	if err == nil {
		return nil // the previous tree is now at staged, removed with the staging directory
	}
	if !errors.Is(err, unix.EINVAL) && !errors.Is(err, unix.ENOSYS) {
		return err
	}
	return twoRenames(staged, current, old)
}
