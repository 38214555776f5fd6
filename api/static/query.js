// The query page: YASGUI on this server's /sparql, and the registry's example queries as buttons.
(function () {
  "use strict";
  var endpoint = new URL("sparql", document.baseURI).href;
  document.getElementById("endpoint").textContent = endpoint;

  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    persistenceId: "thamquyen-yasgui",
    // The class and property completers ask a web service (LOV): keep the page offline.
    yasqe: { autocompleters: ["prefixes", "variables"] }
  });
  window.thamquyenYasgui = yasgui;

  function open(example) {
    var tab = yasgui.getTab();
    tab.setQuery(example.query);
    tab.setName(example.name.replace(/\.rq$/, ""));
    tab.setEndpoint(endpoint);
    return tab;
  }

  fetch(new URL("query/examples", document.baseURI))
    .then(function (response) { return response.json(); })
    .then(function (examples) {
      var list = document.getElementById("example-list");
      document.getElementById("examples-empty").hidden = examples.length > 0;
      examples.forEach(function (example) {
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.dataset.example = example.name;
        button.textContent = example.title;
        if (example.description) {
          var small = document.createElement("small");
          small.textContent = example.description;
          button.appendChild(small);
        }
        button.addEventListener("click", function () { open(example).query(); });
        item.appendChild(button);
        list.appendChild(item);
      });
    });
})();
