/* Start Swagger UI at /api/v1/docs: settings come from the page's JSON block, never from inline script. */
(function () {
  "use strict";
  var body = document.body.dataset;
  var config = JSON.parse(document.getElementById("swagger-settings").textContent);
  config.dom_id = "#swagger-ui";
  config.presets = [SwaggerUIBundle.presets.apis];
  config.layout = "BaseLayout";
  config.validatorUrl = null;  // never ask validator.swagger.io about our schema
  if (body.csrfToken) {
    config.requestInterceptor = function (req) { req.headers["X-CSRFToken"] = body.csrfToken; return req; };
  }
  window.ui = SwaggerUIBundle(config);
})();
