// Package osfs is the operating system's files as an io/fs.FS whose names are
// paths as a user types them: absolute, or relative to the working directory,
// ".." allowed. Code that reads through an fs.FS (a git revision, a test's
// fstest.MapFS) reads the disk through it too, and its messages name the
// paths the user gave, as os.Open's do.
package osfs
