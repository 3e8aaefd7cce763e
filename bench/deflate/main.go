// Command deflate compares the deflate compressors an archive could use, on the files given: for
// each candidate, the total compressed size (gzip stream, as in a .tar.gz) and the median CPU time
// of compressing them all, each against the standard library's level 5 (what the archives used
// before klauspost/compress). The candidates run in turn, round after round (A B C … A B C …), so
// a noisy machine disturbs them alike. One goroutine compresses; its CPU time is the process's
// user+sys time, read from getrusage.
//
//	go run ./bench/deflate [-rounds 7] FILE...
//
// It chose the archives' level; bench/RESULTS.md records its output.
package main

import (
	stdgzip "compress/gzip"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"syscall"
	"time"

	kgzip "github.com/klauspost/compress/gzip"
)

type candidate struct {
	name  string
	write func(w io.Writer, data []byte) error
}

func std(level int) candidate {
	return candidate{fmt.Sprintf("compress/gzip level %d", level), func(w io.Writer, data []byte) error {
		gz, err := stdgzip.NewWriterLevel(w, level)
		if err != nil {
			return err
		}
		if _, err := gz.Write(data); err != nil {
			return err
		}
		return gz.Close()
	}}
}

func klauspost(level int) candidate {
	return candidate{fmt.Sprintf("klauspost/compress/gzip level %d", level), func(w io.Writer, data []byte) error {
		gz, err := kgzip.NewWriterLevel(w, level)
		if err != nil {
			return err
		}
		if _, err := gz.Write(data); err != nil {
			return err
		}
		return gz.Close()
	}}
}

type counter struct{ n int64 }

func (c *counter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func main() {
	rounds := flag.Int("rounds", 7, "rounds of every candidate; the median CPU time is reported")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: deflate [-rounds N] FILE...")
		os.Exit(2)
	}
	var files [][]byte
	var in int64
	for _, name := range flag.Args() {
		b, err := os.ReadFile(name)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		files = append(files, b)
		in += int64(len(b))
	}
	// klauspost's levels 8 and 9 take longer than the standard library's 5 for under 1% less.
	cands := []candidate{std(5), std(6)}
	for l := 1; l <= 7; l++ {
		cands = append(cands, klauspost(l))
	}
	sizes := make([]int64, len(cands))
	times := make([][]time.Duration, len(cands))
	for r := 0; r <= *rounds; r++ { // round 0 warms up and is not counted
		for i, c := range cands {
			var out counter
			start := cpuTime()
			for _, f := range files {
				if err := c.write(&out, f); err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(1)
				}
			}
			if r > 0 {
				times[i] = append(times[i], cpuTime()-start)
			}
			sizes[i] = out.n
		}
	}
	median := func(d []time.Duration) time.Duration {
		s := slices.Clone(d)
		slices.Sort(s)
		return s[len(s)/2]
	}
	base := median(times[0])
	fmt.Printf("%d files, %.2f MB; %d rounds, median CPU time\n\n", len(files), float64(in)/1e6, *rounds)
	fmt.Println("| compressor | size | size / stdlib 5 | CPU | CPU / stdlib 5 |")
	fmt.Println("| --- | ---: | ---: | ---: | ---: |")
	for i, c := range cands {
		m := median(times[i])
		fmt.Printf("| %s | %.2f MB | %+.2f%% | %d ms | %.2f× |\n", c.name, float64(sizes[i])/1e6,
			100*(float64(sizes[i])/float64(sizes[0])-1), m.Milliseconds(), float64(m)/float64(base))
	}
}
