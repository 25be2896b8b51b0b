package cli

import (
	"fmt"
	"io"
	"runtime/debug"
	"sort"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/perftest"
	"github.com/lowlat/lowlat/generator/schema"
)

// version is lowlat's own version: the module version a `go install
// ...@vX` build records, else the commit a build in a clone records.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	v := info.Main.Version
	var revision, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = ", modified"
			}
		}
	}
	if revision != "" && (v == "" || v == "(devel)") {
		if len(revision) > 12 {
			revision = revision[:12]
		}
		return fmt.Sprintf("devel (commit %s%s)", revision, modified)
	}
	if v == "" {
		return "(devel)"
	}
	return v
}

// printVersion writes lowlat's version and the upstream versions it
// renders for and validates against: each module whose schemas it embeds
// (package schema), and the kube-burner it runs.
func printVersion(w io.Writer) {
	fmt.Fprintf(w, "lowlat %s\n", version())
	fmt.Fprintf(w, "inventory API %s\n", inventory.APIVersion)
	pins := map[string]string{}
	for _, s := range schema.Sources() {
		pins[s.Module] = s.Version
	}
	modules := make([]string, 0, len(pins))
	for m := range pins {
		modules = append(modules, m)
	}
	sort.Strings(modules)
	fmt.Fprintln(w, "schemas from:")
	for _, m := range modules {
		fmt.Fprintf(w, "  %s %s\n", m, pins[m])
	}
	fmt.Fprintf(w, "kube-burner %s (%s)\n", perftest.KubeBurnerVersion, inventory.ImageKubeBurner)
}
