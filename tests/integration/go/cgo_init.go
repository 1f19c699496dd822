// Built with openers.go (CGO_ENABLED=1) to make it a cgo program: dynamically linked, loaded
// by ld.so with libredirect-inproc.so as its LD_AUDIT library, its threads started by
// pthread_create and their signal stacks set up by Go as for threads made by C.
package main

// int twice(int x) { return 2 * x; }
import "C"

func init() { _ = C.twice(2) }
