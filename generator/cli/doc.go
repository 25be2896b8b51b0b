// Package cli holds lowlat's cobra commands. Main is the only place that turns
// an error into a process exit code, so every subcommand returns errors and
// never calls os.Exit itself.
package cli
