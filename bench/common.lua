-- Shared by the bench scripts (loaded with dofile): request helpers and the done() hook that
-- prints one machine-readable line for run.py.

-- Every request is AWS JSON 1.1: POST / with the operation in X-Amz-Target.
function aws_request(target, authorization)
  wrk.method = "POST"
  wrk.path = "/"
  wrk.headers["Content-Type"] = "application/x-amz-json-1.1"
  wrk.headers["X-Amz-Target"] = target
  -- moto routes by the SigV4 credential scope, so its requests must name the service.
  if authorization and authorization ~= "" then
    wrk.headers["Authorization"] = authorization
  end
end

function read_file(path)
  local file = assert(io.open(path, "rb"))
  local data = file:read("*a")
  file:close()
  return data
end

function read_lines(path)
  local lines = {}
  for line in io.lines(path) do
    if line ~= "" then lines[#lines + 1] = line end
  end
  assert(#lines > 0, "no lines in " .. path)
  return lines
end

-- wrk counts statuses > 399 as errors; run.py fails the run on any error of any kind.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"p50":%d,"p99":%d,"mean":%.1f,"max":%d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.mean, latency.max))
end
