#!/usr/bin/env bash
# Reads `go test -bench` output and prints the tap's overhead as a ratio.
awk '
/BenchmarkFullPath\/tap=true/  { on = $3 }
/BenchmarkFullPath\/tap=false/ { off = $3 }
{ print }
END { if (on && off) printf "\nTap overhead: %.2fx the time per message without the tap (%s ns vs %s ns)\n", on/off, on, off }
'
