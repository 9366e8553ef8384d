// The query page: YASGUI on ffkg's endpoint, set up from the JSON the server writes into the
// page (<script id="ffkg-config">: endpoint, prefixes, examples, defaultQuery). Nothing here or
// in YASGUI as configured below fetches anything but this server's /sparql.
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("ffkg-config").textContent);
  var prefixes = config.prefixes || {};
  var examples = config.examples || [];
  // Absolute, as YASQE builds GET requests with new URL(endpoint).
  var endpoint = new URL(config.endpoint || "/sparql", window.location.href).href;
  var Yasqe = Yasgui.Yasqe;

  // Prefixes. The endpoint declares the graph's prefixes for every query, so a query needs no
  // PREFIX lines. YASQE's syntax check would flag `ff:` as undeclared: wrap its SPARQL mode so
  // that every parse starts with the endpoint's prefixes already declared. The same prefixes
  // then reach the prefix completer (which so never adds a PREFIX line for them) and the result
  // table (which shows IRIs as prefixed names).
  var sparqlMode = Yasqe.modes.sparql11;
  Yasqe.defineMode("sparql11", function (cmConfig, modeConfig) {
    var mode = sparqlMode(cmConfig, modeConfig);
    var startState = mode.startState;
    mode.startState = function () {
      var state = startState.apply(this, arguments);
      Object.assign(state.prefixes, prefixes);
      return state;
    };
    return mode;
  });

  // Autocompletion. YASQE's property and class completers ask lov.linkeddata.es, so they are
  // off. Its prefix completer uses a list bundled in the script (prefix.cc is asked only when
  // `prefixCcApi` is set, and it is not); this copy offers the endpoint's prefixes first, and
  // the bundled ones whose names the endpoint does not use, and stores nothing.
  Yasqe.forkAutocompleter(
    "prefixes",
    {
      name: "ffkg-prefixes",
      persistenceId: null,
      get: function (yasqe) {
        var ours = Object.keys(prefixes).map(function (name) {
          return name + ": <" + prefixes[name] + ">";
        });
        return Yasqe.Autocompleters.prefixes.get(yasqe).then(function (bundled) {
          return ours.concat(
            bundled.filter(function (line) {
              return !Object.prototype.hasOwnProperty.call(prefixes, line.split(":")[0]);
            })
          );
        });
      },
    },
    false
  );
  // Set on the defaults themselves: YASGUI merges arrays index by index, so a shorter list in
  // the config would keep the defaults' tail ("property", "class").
  Yasqe.defaults.autocompleters = ["variables", "ffkg-prefixes"];
  Yasgui.defaults.yasqe.autocompleters = ["variables", "ffkg-prefixes"];

  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    // The endpoint field suggests only this endpoint (the default list is DBpedia and Wikidata).
    endpointCatalogueOptions: {
      getData: function () {
        return [{ endpoint: endpoint }];
      },
    },
    // Every visit starts from one tab with the default query; a shared link (#query=…) opens
    // that query instead. Nothing is kept in localStorage.
    persistenceId: null,
    tabName: "Query",
    // `createShortLink` stays unset, so the share button offers no "Shorten" (which would call
    // a link shortener); the share link itself is this page's address with the query after #.
    yasqe: {
      value: config.defaultQuery || "SELECT * WHERE { ?s ?p ?o } LIMIT 10",
      editorHeight: "260px",
    },
    yasr: { prefixes: prefixes },
  });

  // A query's title: the config's, or its `# title:` comment line, or its name.
  function title(example) {
    var line = /^#\s*title:\s*(.+)$/m.exec(example.query || "");
    return example.title || (line && line[1].trim()) || example.name;
  }

  // The query library as a <select> above the editor: choosing one loads it into the editor
  // (run it with the editor's run button or Ctrl-Enter).
  var select = document.getElementById("ffkg-example");
  var question = document.getElementById("ffkg-question");
  examples.forEach(function (example) {
    var option = document.createElement("option");
    option.value = example.name;
    option.textContent = title(example);
    if (example.question) option.title = example.question;
    select.appendChild(option);
  });
  select.addEventListener("change", function () {
    var example = examples.find(function (e) {
      return e.name === select.value;
    });
    question.textContent = example ? example.question || "" : "";
    if (!example) return;
    var tab = yasgui.getTab();
    tab.setQuery(example.query);
    tab.getYasqe().focus();
  });
  if (examples.length) select.closest(".ffkg-examples").hidden = false;
})();
