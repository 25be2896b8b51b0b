// Package inventory is lowlat's input API: the Inventory kind
// (lowlat.dev/v1alpha1) that lists OpenShift clusters on EC2 metal, their node
// pools and how each pool is tuned. Load reads it strictly (unknown fields,
// duplicate keys and wrong types are errors), applies the defaults in one
// place, and validates it, reporting every problem at once with its field path
// and line so a user fixes an inventory in one pass.
package inventory
