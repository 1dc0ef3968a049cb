-- Shared by every scenario script: prints wrk's own summary as one JSON line for the harness.
-- wrk counts responses (summary.requests), so pipelined requests are counted one by one.
-- Latency percentiles are wrk's (with its coordinated-omission correction). When that correction
-- adds entries below the smallest measured latency, which pipelining provokes, wrk's percentile
-- scan starts above them and returns 0; the harness then reports the percentile as unavailable.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"durationUs":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latencyUs":{"p50":%d,"p99":%d,"mean":%.1f,"max":%d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.mean, latency.max))
end
