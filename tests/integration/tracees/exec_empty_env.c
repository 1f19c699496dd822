/* exec_empty_env: forks a child that execs PROG ARGS with an empty environment (as `env -i`
 * does, or a sanitising launcher), waits for it and exits with its status. With "thread", the
 * fork and exec happen from a second thread. Usage: exec_empty_env [thread] PROG ARGS... */
#include "util.h"

#include <pthread.h>
#include <sys/wait.h>

static char** child_argv;

static void* fork_and_wait(void* unused) {
  (void)unused;
  pid_t pid = fork();
  test_assert(pid >= 0);
  if (pid == 0) {
    char* empty[] = {NULL};
    execve(child_argv[0], child_argv, empty);
    fprintf(stderr, "execve %s: %s\n", child_argv[0], errno_name(errno));
    _exit(127);
  }
  int status = 0;
  test_assert(waitpid(pid, &status, 0) == pid);
  return (void*)(long)(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
}

int main(int argc, char** argv) {
  int threaded = argc > 1 && !strcmp(argv[1], "thread");
  test_assert(argc >= 2 + threaded);
  child_argv = argv + 1 + threaded;
  void* status;
  if (threaded) {
    pthread_t t;
    test_assert(pthread_create(&t, NULL, fork_and_wait, NULL) == 0);
    test_assert(pthread_join(t, &status) == 0);
  } else {
    status = fork_and_wait(NULL);
  }
  return (int)(long)status;
}
