-- Drives "/" with GET (wrk's static request, the cheapest path) or, when BENCH_METHOD=POST,
-- with JSON bodies {"num": 1..100} prepared once per thread so wrk spends no time formatting.
-- At the end prints one machine-readable line, BENCH_RESULT {json}, that the driver parses.

if os.getenv("BENCH_METHOD") == "POST" then
  local prepared = {}
  local next_index = 0

  init = function(args)
    local headers = { ["Content-Type"] = "application/json" }
    for n = 1, 100 do
      prepared[n] = wrk.format("POST", "/", headers, string.format('{"num": %d}', n))
    end
  end

  request = function()
    next_index = next_index % #prepared + 1
    return prepared[next_index]
  end
end

done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "connect_errors": %d, "read_errors": %d, "write_errors": %d, ' ..
    '"status_errors": %d, "timeout_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, errors.connect, errors.read, errors.write, errors.status, errors.timeout))
end
