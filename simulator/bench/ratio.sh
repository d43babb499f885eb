#!/usr/bin/env bash
# Reads `go test -bench` output, passes it through and adds readable
# figures: the tap's overhead, for each end-to-end run the messages per
# second, CPU, allocations, bytes and RSS per message, and the browser
# flood's CPU per message.
awk '
/BenchmarkFullPath\/tap=true/  { on = $3 }
/BenchmarkFullPath\/tap=false/ { off = $3 }
/BenchmarkEndToEnd\// {
  name = $1; sub(/^BenchmarkEndToEnd\//, "", name); sub(/-[0-9]+$/, "", name)
  line = sprintf("%-5s %6d messages:", name, $2)
  for (i = 3; i < NF; i++) {
    if ($(i+1) == "msgs/s")     line = line sprintf(" %7.1f msgs/s end to end,", $i)
    if ($(i+1) == "cpu-ms/msg") line = line sprintf(" %5.2f ms CPU,", $i)
    if ($(i+1) == "allocs/op")  line = line sprintf(" %6d allocs,", $i)
    if ($(i+1) == "B/op")       line = line sprintf(" %6.0f KiB per message,", $i / 1024)
    if ($(i+1) == "rss-MB")     rss = $i
  }
  e2e[++n] = line sprintf(" RSS %.0f MiB after the run", rss)
}
/^BenchmarkFlood/ {
  line = ""
  for (i = 3; i < NF; i++) {
    if ($(i+1) == "cpu-ms/op")    line = line sprintf(" %5.1f ms CPU,", $i)
    if ($(i+1) == "flood-ms/op")  line = line sprintf(" %5.1f ms until the stream carried the last line,", $i)
    if ($(i+1) == "stream-KB/op") line = line sprintf(" %5.0f KB streamed,", $i)
    if ($(i+1) == "allocs/op")    line = line sprintf(" %6d allocs", $i)
  }
  flood[++nf] = line
}
/^BenchmarkEventsAPI/ {
  for (i = 3; i < NF; i++) {
    if ($(i+1) == "cpu-ms/op") cpu = $i
    if ($(i+1) == "events/op") evs = $i
  }
  api[++na] = sprintf(" %5.1f ms CPU to read the flood log (%d events) page by page through the events API", cpu, evs)
}
{ print }
END {
  if (on && off) printf "\nTap overhead: %.2fx the time per message without the tap (%s ns vs %s ns)\n", on/off, on, off
  if (nf) { print "\nThe flood, per 10,000-line message (the process: servers, tap, app, event stream):"; for (i = 1; i <= nf; i++) print " " flood[i] }
  for (i = 1; i <= na; i++) print api[i]
  if (n) { print "\nEnd to end (c = concurrent submitters; STARTTLS + AUTH PLAIN, POP3 poller; tap on):"; for (i = 1; i <= n; i++) print "  " e2e[i] }
}
'
