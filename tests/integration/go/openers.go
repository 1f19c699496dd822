// openers: the load under which a static Go program hung once the in-process runtime was armed
// in it (the research program gostat). 8 goroutines each open PATH 500 times while Go's
// scheduler preempts them (SIGURG) and a ninth goroutine collects garbage; then an openat made
// with syscall.RawSyscall6 (no runtime wrapper around it) and `cat PATH` started by os/exec.
// PATH is meant to exist only through a rule. Prints one line of what worked; exits 0 when
// everything did, 1 otherwise.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"unsafe"
)

func main() {
	path := os.Args[1]
	want, err := os.ReadFile(path)
	if err != nil || len(want) == 0 {
		fmt.Println("readfile:", err)
		os.Exit(1)
	}
	var opened atomic.Int64
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 500; i++ {
				if f, err := os.Open(path); err == nil {
					opened.Add(1)
					f.Close()
				}
			}
		}()
	}
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			default:
				runtime.GC()
			}
		}
	}()
	wg.Wait()
	close(done)

	p, _ := syscall.BytePtrFromString(path)
	fd, _, errno := syscall.RawSyscall6(syscall.SYS_OPENAT, uintptr(0xffffff9c) /* AT_FDCWD */, uintptr(unsafe.Pointer(p)), 0, 0, 0, 0)
	if errno == 0 {
		syscall.Close(int(fd))
	}
	out, err := exec.Command("/bin/cat", path).Output()
	catted := err == nil && string(out) == string(want)
	fmt.Printf("opened %d/4000, raw openat %v, cat %v\n", opened.Load(), errno == 0, catted)
	if opened.Load() != 4000 || errno != 0 || !catted {
		os.Exit(1)
	}
}
