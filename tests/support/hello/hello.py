#!/usr/bin/env python3
# The program of examples/hello-python.toml: written for a normal install, so every path is
# hard-coded and absolute. Prints the greeting of greeting.txt with the name of hello.conf,
# then appends one line per run to /var/lib/hello/runs and says how many runs it has seen.
import sys

CONF = "/etc/hello/hello.conf"
GREETING = "/usr/share/hello/greeting.txt"
RUNS = "/var/lib/hello/runs"

settings = {}
with open(CONF) as f:
    for line in f:
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            settings[key.strip()] = value.strip()

with open(GREETING) as f:
    template = f.read().strip()

print(template.format(name=settings.get("name", "world")))

with open(RUNS, "a") as f:
    f.write("run\n")
with open(RUNS) as f:
    print("runs:", len(f.readlines()))
sys.exit(0)
