/* W7's input: a small C file for `gcc -O2 -c`, with enough in it (a table, a loop, a struct,
 * stdio and string headers) that the compiler parses headers and optimises real code. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
  const char *name;
  int weight;
};

static const struct entry table[] = {
    {"alpha", 3}, {"beta", 5}, {"gamma", 7}, {"delta", 11}, {"epsilon", 13},
};

static int compare(const void *a, const void *b) {
  const struct entry *x = a, *y = b;
  return strcmp(x->name, y->name);
}

int weigh(const char *text) {
  int total = 0;
  for (const char *p = text; *p; ++p)
    for (size_t i = 0; i < sizeof table / sizeof table[0]; ++i)
      if (*p == table[i].name[0]) total += table[i].weight;
  return total;
}

void print_sorted(void) {
  struct entry copy[sizeof table / sizeof table[0]];
  memcpy(copy, table, sizeof copy);
  qsort(copy, sizeof copy / sizeof copy[0], sizeof copy[0], compare);
  for (size_t i = 0; i < sizeof copy / sizeof copy[0]; ++i)
    printf("%s %d\n", copy[i].name, copy[i].weight);
}
