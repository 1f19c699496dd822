// 64 goroutines open and stat files through a rewritten path while checking their own stack
// frames, plus a goroutine recursing to every depth up to MAX with os.Stat at the bottom.
package main

import (
	"bytes"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
)

var failures atomic.Int64

func fail(what string) {
	if failures.Add(1) <= 5 {
		os.Stderr.WriteString("FAIL: " + what + "\n")
	}
}

//go:noinline
func deep(n int, path string, want []byte) {
	var local [8]uint64
	for i := range local {
		local[i] = uint64(n)*0x9e3779b97f4a7c15 + uint64(i)
	}
	if n == 0 {
		if _, err := os.Stat(path); err != nil {
			fail("deep stat: " + err.Error())
		} else if b, err := os.ReadFile(path); err != nil {
			fail("deep read: " + err.Error())
		} else if !bytes.Equal(b, want) {
			fail("deep read: wrong bytes")
		}
	} else {
		deep(n-1, path, want)
	}
	for i := range local {
		if local[i] != uint64(n)*0x9e3779b97f4a7c15+uint64(i) {
			fail("deep: frame " + strconv.Itoa(n) + " changed")
		}
	}
}

func main() {
	dir := os.Args[1]
	rounds, _ := strconv.Atoi(os.Args[2])
	maxDepth, _ := strconv.Atoi(os.Args[3])
	want := make([][]byte, 4)
	for i := range want {
		b, err := os.ReadFile(os.Args[4] + "/f" + strconv.Itoa(i))
		if err != nil {
			panic(err)
		}
		want[i] = b
	}
	var wg sync.WaitGroup
	for g := 0; g < 64; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			var canary [32]uint64
			for i := range canary {
				canary[i] = uint64(g)<<32 | uint64(i)
			}
			for r := 0; r < rounds; r++ {
				k := (g + r) % 4
				path := dir + "/f" + strconv.Itoa(k)
				if _, err := os.Stat(path); err != nil {
					fail("stat: " + err.Error())
				}
				b, err := os.ReadFile(path)
				if err != nil {
					fail("read: " + err.Error())
				} else if !bytes.Equal(b, want[k]) {
					fail("read: wrong bytes")
				}
				for i := range canary {
					if canary[i] != uint64(g)<<32|uint64(i) {
						fail("goroutine stack changed")
					}
				}
				if r%8 == 0 {
					deep(r%64, path, want[k])
				}
			}
		}(g)
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for d := 0; d <= maxDepth; d++ {
			deep(d, dir+"/f0", want[0])
		}
	}()
	wg.Wait()
	if n := failures.Load(); n != 0 {
		os.Stdout.WriteString("failures: " + strconv.FormatInt(n, 10) + "\n")
		os.Exit(1)
	}
	os.Stdout.WriteString("ok\n")
}
