// Runs after vendor/require.js and before vendor/embed-amd.js (order set by nb_ipywidgets_js
// in _config.yml); it adapts the HTML widget manager to this offline site.
//
// 1. The manager loads the Font Awesome fonts it bundles from the folder of its require.js
//    module, "<page folder>/@jupyter-widgets/html-manager/dist/" unless told otherwise, which
//    the site does not have: map that module to vendor/html-manager/, where the fonts are.
require.config({
  paths: {
    "@jupyter-widgets/html-manager/dist": new URL("vendor/html-manager", document.currentScript.src).href,
  },
});

// 2. The manager typesets widget labels with MathJax 2's MathJax.Hub.Queue; the site has
//    MathJax 3, which has no Hub. Give it one that typesets with MathJax 3. This listener is
//    registered before the manager's own, so it runs before the widgets are rendered.
window.addEventListener("load", () => {
  const mathjax = window.MathJax;
  if (mathjax && mathjax.startup && !mathjax.Hub) {
    mathjax.Hub = {
      Queue: ([, , element]) => mathjax.startup.promise.then(() => mathjax.typesetPromise([element])),
    };
  }
});
