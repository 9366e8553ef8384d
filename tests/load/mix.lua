-- wrk script for tests/load.sh: each connection cycles through a mix of what the endpoint
-- serves (a library-style SELECT, an aggregate, an ASK, a resource page, the VoID description,
-- the service description), and every response that is not 2xx is counted.
local paths = {
    "/sparql?query=" .. "SELECT%20%3Fc%20%3Fl%20WHERE%20%7B%20%3Fc%20a%20ff%3ACountry%20%3B%20rdfs%3Alabel%20%3Fl%20%7D%20ORDER%20BY%20%3Fl",
    "/sparql?query=" .. "SELECT%20%3Fm%20(COUNT(*)%20AS%20%3Fn)%20WHERE%20%7B%20%3Ff%20ff%3Ameasure%20%3Fm%20%7D%20GROUP%20BY%20%3Fm",
    "/sparql?query=" .. "ASK%20%7B%20country%3ATUN%20a%20ff%3ACountry%20%7D",
    "/id/country/TUN.html",
    "/.well-known/void",
    "/sparql",
}
local accepts = {
    "application/sparql-results+json",
    "text/csv",
    "application/sparql-results+xml",
    "text/html",
    "text/turtle",
    "text/turtle",
}
local threads = {}
local counter = 0

function setup(thread)
    table.insert(threads, thread)
end

function init(args)
    non2xx = 0
    statuses = {}
end

function request()
    counter = counter + 1
    local i = (counter % #paths) + 1
    return wrk.format("GET", paths[i], { ["Accept"] = accepts[i] })
end

function response(status, headers, body)
    if status < 200 or status > 299 then
        non2xx = non2xx + 1
        statuses[status] = (statuses[status] or 0) + 1
    end
end

function done(summary, latency, requests)
    local total = 0
    local parts = {}
    for _, thread in ipairs(threads) do
        total = total + thread:get("non2xx")
        for status, n in pairs(thread:get("statuses")) do
            table.insert(parts, status .. ":" .. n)
        end
    end
    local e = summary.errors
    io.write(string.format(
        "LOAD requests=%d seconds=%.1f p99_ms=%.1f non2xx=%d connect=%d read=%d write=%d " ..
        "timeout=%d statuses=%s\n",
        summary.requests, summary.duration / 1e6, latency:percentile(99) / 1000, total,
        e.connect, e.read, e.write, e.timeout, (#parts > 0) and table.concat(parts, ",") or "-"))
end
