package perftest

// KubeBurnerVersion is the kube-burner release whose config schema lowlat
// writes (mirrored in internal/kbconfig for the tests) and whose image the
// Jobs run (inventory.ImageKubeBurner).
const KubeBurnerVersion = "v2.7.3"
