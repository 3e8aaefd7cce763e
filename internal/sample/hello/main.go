// Command hello is the tiny program release-preflight builds in its tests and
// demo. Its version, commit and date are stamped at link time with
// -ldflags "-X main.version=... -X main.commit=... -X main.date=...".
package main

import (
	"flag"
	"fmt"
)

var version, commit, date = "dev", "none", "unknown"

func main() {
	showVersion := flag.Bool("version", false, "print version, commit and build date, then exit")
	flag.Parse()
	if *showVersion {
		fmt.Printf("hello %s (commit %s, built %s)\n", version, commit, date)
		return
	}
	name := "world"
	if flag.NArg() > 0 {
		name = flag.Arg(0)
	}
	fmt.Printf("hello, %s\n", name)
}
