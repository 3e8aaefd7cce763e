// Command sink is the floor for bench/run's upload measurements: an HTTP server on 127.0.0.1
// that reads every request body to the end, keeps none of it, and answers 201 with the byte
// count, like GitHub's asset upload would ({"name":…,"size":N,"state":"uploaded"}). It prints
// SINK_URL=http://127.0.0.1:PORT/ and READY, and serves until SIGINT or SIGTERM.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintf(os.Stderr, "sink: %v\n", err)
		os.Exit(1)
	}
	srv := &http.Server{Handler: http.HandlerFunc(drain)}
	go func() {
		if err := srv.Serve(ln); err != nil && err != http.ErrServerClosed {
			fmt.Fprintf(os.Stderr, "sink: %v\n", err)
			os.Exit(1)
		}
	}()
	fmt.Printf("SINK_URL=http://%s/\nREADY\n", ln.Addr())

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	<-sig
	srv.Close()
}

func drain(w http.ResponseWriter, r *http.Request) {
	buf := make([]byte, 1<<20)
	var n int64
	for {
		k, err := r.Body.Read(buf)
		n += int64(k)
		if err == io.EOF {
			break
		}
		if err != nil {
			return // the client went away
		}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(map[string]any{"name": r.URL.Query().Get("name"), "size": n, "state": "uploaded"})
}
