// A small highlighter for the file kinds a project holds: comments, strings, keywords,
// numbers and keys. Good enough to read a file; no network, no library.
"use strict";
(function () {
  const PY = "and|as|assert|async|await|break|class|continue|def|del|elif|else|except|finally|for|from|global|if|import|in|is|lambda|None|nonlocal|not|or|pass|raise|return|True|False|try|while|with|yield";
  const SH = "if|then|else|fi|for|do|done|case|esac|in|export|set|run|from|cmd|copy|workdir|env|arg|user|expose|healthcheck|entrypoint";
  const rules = {
    hash: [["c", /#[^\n]*/], ["s", /"""[\s\S]*?"""|'''[\s\S]*?'''|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'/]],
    html: [["c", /<!--[\s\S]*?-->|\{#[\s\S]*?#\}/], ["s", /"(?:\\.|[^"\\\n])*"/], ["k", /<\/?[\w-]+|\/?>|\{%[\s\S]*?%\}/]],
  };
  function language(path) {
    const name = path.split("/").pop().toLowerCase();
    const ext = name.includes(".") ? name.split(".").pop() : name;
    if (["html", "pt", "jinja2", "xml"].includes(ext)) return "html";
    if (ext === "py" || ext === "pyi") return "py";
    if (["yml", "yaml", "toml", "cfg", "ini", "env", "example", "editorconfig", "gitignore", "dockerignore"].includes(ext)) return "conf";
    if (["sh", "dockerfile"].includes(ext) || name === "dockerfile") return "sh";
    return "text";
  }
  function escape(text) {
    return text.replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c]);
  }
  function tokens(lang) {
    const list = (lang === "html" ? rules.html : rules.hash).slice();
    if (lang === "py") list.push(["k", new RegExp("\\b(?:" + PY + ")\\b")], ["d", /@[\w.]+/]);
    if (lang === "sh") list.push(["k", new RegExp("\\b(?:" + SH + ")\\b", "i")]);
    if (lang === "conf") list.push(["k", /^[ \t-]*[\w.\-"]+(?=\s*[:=])|^\[[^\]\n]*\]/m]);
    list.push(["n", /\b\d+(?:\.\d+)?\b|\b(?:true|false|null)\b/]);
    return list;
  }
  window.highlight = function (path, text) {
    const lang = language(path);
    if (lang === "text") return escape(text);
    const list = tokens(lang);
    const combined = new RegExp(list.map(([, re]) => "(" + re.source + ")").join("|"), "gm" + (lang === "sh" ? "i" : ""));
    let out = "", last = 0;
    text.replace(combined, (match, ...groups) => {
      const offset = groups[list.length];
      const kind = list[groups.findIndex((g, i) => i < list.length && g !== undefined)][0];
      out += escape(text.slice(last, offset)) + '<span class="hl-' + kind + '">' + escape(match) + "</span>";
      last = offset + match.length;
      return match;
    });
    return out + escape(text.slice(last));
  };
})();
