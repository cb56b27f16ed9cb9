// Starts Swagger UI on /docs (a file, not an inline script: the pages' CSP allows scripts from this origin only).
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.getAttribute("data-spec-url"),
    domNode: root,
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    // No badge that would fetch the spec from validator.swagger.io: the page never leaves this host.
    validatorUrl: null,
    tryItOutEnabled: false
  });
}());
