-- StartMediaAnalysisJob with a fresh ClientRequestToken on every request, as the SDKs send:
-- each request creates a job (a reused token would be an idempotent replay, not a write).
-- run.py gives every wrk run an empty store, so tokens need only be unique within the run.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

local thread_count = 0

-- Runs in the setup environment: gives each thread its own token namespace.
function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_number", thread_count)
end

local prefix
local sent = 0

function init(args)
  aws_request("RekognitionService.StartMediaAnalysisJob")
  prefix = "bench-" .. thread_number .. "-"
end

function request()
  sent = sent + 1
  return wrk.format(nil, nil, nil,
    '{"ClientRequestToken":"' .. prefix .. sent .. '","JobName":"bench",' ..
    '"OperationsConfig":{"DetectModerationLabels":{"MinConfidence":60}},' ..
    '"Input":{"S3Object":{"Bucket":"bench-media","Name":"manifests/batch.jsonl"}},' ..
    '"OutputConfig":{"S3Bucket":"bench-results","S3KeyPrefix":"out/"}}')
end
