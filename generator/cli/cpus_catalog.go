package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/lowlat/lowlat/generator/catalog"
)

// catalogHelp lists the catalog's instance types for `lowlat cpus --help`,
// which the inventory's instanceType field points readers to.
func catalogHelp() string {
	var b strings.Builder
	b.WriteString("\n\nInstance types of the catalog (generator/catalog/metal.csv); \"lowlat topology\n--instance-type TYPE\" shows the CPU numbering it assumes for one:\n\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  TYPE\tCPUS\tSOCKETS\tCORES/SOCKET\tTHREADS/CORE\tMEMORY")
	for _, it := range catalog.All() {
		fmt.Fprintf(tw, "  %s\t%d\t%d\t%d\t%d\t%d GiB\n", it.Name, it.VCPUs, it.Sockets, it.CoresPerSocket(), it.ThreadsPerCore, it.MemoryGiB)
	}
	tw.Flush()
	return strings.TrimRight(b.String(), "\n")
}
