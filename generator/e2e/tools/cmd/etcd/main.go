// Command etcd runs a single-member etcd from go.etcd.io/etcd/server/v3/embed
// on loopback ports the kernel picks, and writes the client URL it serves on
// to --url-file once the member is ready, so that a caller never has to guess
// a free port.
package main

import (
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/signal"
	"syscall"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
)

func main() {
	dir := flag.String("data-dir", "", "directory for etcd's data (required)")
	urlFile := flag.String("url-file", "", "file to write the client URL to once ready (required)")
	flag.Parse()
	if *dir == "" || *urlFile == "" {
		fmt.Fprintln(os.Stderr, "etcd: --data-dir and --url-file are required")
		os.Exit(2)
	}
	if err := run(*dir, *urlFile); err != nil {
		fmt.Fprintln(os.Stderr, "etcd:", err)
		os.Exit(1)
	}
}

func run(dir, urlFile string) error {
	e, err := embed.StartEtcd(config(dir))
	if err != nil {
		return fmt.Errorf("start: %w", err)
	}
	defer e.Close()
	select {
	case <-e.Server.ReadyNotify():
	case <-time.After(time.Minute):
		return fmt.Errorf("member not ready after a minute")
	}
	if err := writeURL(urlFile, "http://"+e.Clients[0].Addr().String()); err != nil {
		return err
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	select {
	case err := <-e.Err():
		return err
	case <-stop:
		return nil
	}
}

// config listens on port 0 for clients and peers: the kernel picks free
// ports, and a single member never dials its own peer URL.
func config(dir string) *embed.Config {
	loopback := url.URL{Scheme: "http", Host: "127.0.0.1:0"}
	cfg := embed.NewConfig()
	cfg.Dir = dir
	cfg.LogLevel = "warn"
	cfg.ListenClientUrls = []url.URL{loopback}
	cfg.AdvertiseClientUrls = []url.URL{loopback}
	cfg.ListenPeerUrls = []url.URL{loopback}
	cfg.AdvertisePeerUrls = []url.URL{loopback}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	return cfg
}

// writeURL renames a complete file into place so a reader polling for it
// never sees half a URL.
func writeURL(path, u string) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(u+"\n"), 0o600); err != nil {
		return fmt.Errorf("write url file: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write url file: %w", err)
	}
	return nil
}
