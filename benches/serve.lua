-- wrk script for benches/serve.sh: GET the URL given to wrk with the SPARQL JSON Accept header,
-- count every response whose status is not 2xx (wrk's own count takes only status >= 400), and
-- print one machine-readable line at the end.
wrk.method = "GET"
wrk.headers["Accept"] = "application/sparql-results+json"

local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

function init(args)
    non2xx = 0
    statuses = {}
end

function response(status, headers, body)
    if status < 200 or status > 299 then
        non2xx = non2xx + 1
        statuses[status] = (statuses[status] or 0) + 1
    end
end

function done(summary, latency, requests)
    local non2xx_total = 0
    local by_status = {}
    for _, thread in ipairs(threads) do
        non2xx_total = non2xx_total + thread:get("non2xx")
        for status, n in pairs(thread:get("statuses")) do
            by_status[status] = (by_status[status] or 0) + n
        end
    end
    local parts = {}
    for status, n in pairs(by_status) do
        table.insert(parts, status .. ":" .. n)
    end
    table.sort(parts)
    local e = summary.errors
    io.write(string.format(
        "WRK_RESULT requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
        "non2xx=%d connect=%d read=%d write=%d timeout=%d statuses=%s\n",
        summary.requests, summary.duration,
        latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
        non2xx_total, e.connect, e.read, e.write, e.timeout,
        (#parts > 0) and table.concat(parts, ",") or "-"))
end
