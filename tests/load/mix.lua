-- wrk script for tests/load.sh: each connection cycles through a mix of what the endpoint
-- serves (a library-style SELECT, an aggregate, an ASK, a resource page, the VoID description,
-- the service description). Counting the responses that are not 2xx and the final line
-- (WRK_RESULT …) are benches/serve.lua's.
dofile("benches/serve.lua")
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
local counter = 0

function request()
    counter = counter + 1
    local i = (counter % #paths) + 1
    return wrk.format("GET", paths[i], { ["Accept"] = accepts[i] })
end
