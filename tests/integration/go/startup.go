// startup: what a static Go program (CGO_ENABLED=0) sees of its own start, for comparing a
// kernel exec with the in-process launcher: os.Args, os.Environ, 8 goroutines on several
// threads doing syscalls, a garbage collection, a signal delivered to its own handler, a child
// started with os/exec, and the exit status given as the first argument.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strconv"
	"sync"
	"syscall"
)

func main() {
	fmt.Printf("args %q\n", os.Args)
	fmt.Printf("env %q\n", os.Environ())

	var wg sync.WaitGroup
	var mu sync.Mutex
	stats := 0
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runtime.LockOSThread()
			n := 0
			for i := 0; i < 200; i++ {
				if _, err := os.Stat("/"); err == nil {
					n++
				}
			}
			mu.Lock()
			stats += n
			mu.Unlock()
		}()
	}
	wg.Wait()
	runtime.GC()
	fmt.Printf("goroutines: %d stats\n", stats)

	got := make(chan os.Signal, 1)
	signal.Notify(got, syscall.SIGUSR1)
	syscall.Kill(os.Getpid(), syscall.SIGUSR1)
	fmt.Printf("signal: %v\n", <-got)

	out, err := exec.Command("/bin/sh", "-c", "echo child says $0", "hi").Output()
	fmt.Printf("child: %q %v\n", out, err)

	status, _ := strconv.Atoi(os.Args[1])
	os.Exit(status)
}
