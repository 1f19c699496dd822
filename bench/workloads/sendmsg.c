/* W8: N x sendmsg + recv of a 64-byte datagram on a connected AF_UNIX socket pair, with no
 * address (msg_name NULL), and the same with send() (sendto with a NULL address). With %file
 * covering socket paths, every sendmsg stops (the filter cannot read the msghdr to see that it
 * has no address); sendto with a NULL address is let through by the filter. Usage:
 * sendmsg msg|to N */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc != 3 || (strcmp(argv[1], "msg") != 0 && strcmp(argv[1], "to") != 0)) {
    fprintf(stderr, "usage: sendmsg msg|to N\n");
    return 2;
  }
  int use_msg = strcmp(argv[1], "msg") == 0;
  long n = atol(argv[2]);
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) != 0) return 1;
  char buf[64] = "datagram", in[64];
  struct iovec iov = {buf, sizeof buf};
  struct msghdr m = {0};
  m.msg_iov = &iov;
  m.msg_iovlen = 1;
  for (long i = 0; i < n; ++i) {
    ssize_t s = use_msg ? sendmsg(sv[0], &m, 0) : send(sv[0], buf, sizeof buf, 0);
    if (s != (ssize_t)sizeof buf || recv(sv[1], in, sizeof in, 0) != (ssize_t)sizeof in) return 1;
  }
  printf("sent %ld\n", n);
  return 0;
}
