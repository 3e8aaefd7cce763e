// Command emulator serves internal/emulator, the in-process GitHub REST
// emulator, on 127.0.0.1 for bench/run, until it gets SIGINT or SIGTERM.
//
//	emulator -repo o/r -token clamped-tok=clamped -token write-tok=write -draft o/r:curl-target
//
// It prints shell-readable lines on stdout, READY last:
//
//	API_URL=http://127.0.0.1:PORT/
//	UPLOAD_URL=http://127.0.0.1:PORT/
//	DRAFT_ID=1001        (one per -draft, in order)
//	READY
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/release-preflight/release-preflight/internal/emulator"
)

type list []string

func (l *list) String() string     { return strings.Join(*l, ",") }
func (l *list) Set(v string) error { *l = append(*l, v); return nil }

func main() {
	var repos, tokens, drafts list
	flag.Var(&repos, "repo", "repository `OWNER/NAME` to create (repeatable)")
	flag.Var(&tokens, "token", "token as `TOKEN=MODE`, MODE e.g. write or clamped (repeatable)")
	flag.Var(&drafts, "draft", "seed a draft release `OWNER/NAME:TAG` and print its DRAFT_ID (repeatable)")
	flag.Parse()
	if flag.NArg() > 0 {
		fail("unexpected argument %q", flag.Arg(0))
	}

	modes := map[string]emulator.Mode{}
	for m := emulator.ModeWrite; m <= emulator.ModeBadCredentials; m++ {
		modes[m.String()] = m
	}

	srv := emulator.NewServer(emulator.Options{})
	defer srv.Close()
	for _, r := range repos {
		srv.AddRepo(r)
	}
	for _, t := range tokens {
		tok, name, ok := strings.Cut(t, "=")
		mode, known := modes[name]
		if !ok || tok == "" || !known {
			fail("bad -token %q: want TOKEN=MODE with MODE one of write, clamped, pat-no-contents, classic-no-repo, sso-required, classic-repo, bad-credentials", t)
		}
		srv.AddToken(tok, mode)
	}
	fmt.Printf("API_URL=%s\nUPLOAD_URL=%s\n", srv.APIURL(), srv.UploadURL())
	for _, d := range drafts {
		repo, tag, ok := strings.Cut(d, ":")
		if !ok || repo == "" || tag == "" {
			fail("bad -draft %q: want OWNER/NAME:TAG", d)
		}
		rel := srv.SeedRelease(repo, emulator.Release{TagName: tag, Draft: true})
		fmt.Printf("DRAFT_ID=%d\n", rel.ID)
	}
	fmt.Println("READY")

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	<-sig
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "emulator: "+format+"\n", args...)
	os.Exit(2)
}
