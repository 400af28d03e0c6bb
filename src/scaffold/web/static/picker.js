// The picker page: a form built from the server's catalog, resolved and previewed by the
// server on every change (the server runs the same code as `scaffold new`).
"use strict";
const $ = (id) => document.getElementById(id);
const state = { framework: "fastapi", dest: "", answers: {} }; // answers: the ones the user gave
let catalog = null, openFile = null, sequence = 0, changedAt = null, timer = null, problem = null;
window.previewTimes = []; // ms from a change on the page to the preview showing it

async function post(path, body) {
  const response = await fetch(path, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
  if (!response.ok) {
    const text = await response.text();
    let message = text;
    try { message = JSON.parse(text).error; } catch (e) { /* not JSON: show the text */ }
    throw new Error(message);
  }
  return response;
}

function choice() {
  return { framework: state.framework, dest: state.dest || catalog.dest, answers: applicable(state.answers) };
}

function applies(question, framework) {
  return !question.frameworks || question.frameworks.includes(framework);
}

function applicable(answers) {
  const kept = {};
  for (const q of catalog.questions) {
    if (q.name in answers && applies(q, state.framework)) kept[q.name] = answers[q.name];
  }
  return kept;
}

function buildForm() {
  const frameworks = $("frameworks");
  for (const f of catalog.frameworks) {
    const label = document.createElement("label");
    const input = Object.assign(document.createElement("input"), { type: "radio", name: "framework", value: f.name });
    input.addEventListener("change", () => { state.framework = f.name; changed(); });
    label.append(input, f.label.split(" (")[0]);
    label.title = f.label;
    frameworks.append(label);
  }
  for (const p of catalog.presets) $("preset").append(new Option(p.name + ": " + p.help, p.name));
  $("preset").addEventListener("change", (event) => {
    const preset = catalog.presets.find((p) => p.name === event.target.value);
    $("preset-help").textContent = preset ? "Sets: " + Object.entries(preset.answers).map(([k, v]) => k + "=" + v).join(", ") : "";
    if (preset) Object.assign(state.answers, preset.answers);
    changed();
  });
  $("dest").addEventListener("input", (event) => { state.dest = event.target.value.trim(); changed(); });
  const box = $("questions");
  for (const q of catalog.questions) box.append(questionField(q));
}

function questionField(q) {
  const field = Object.assign(document.createElement("div"), { className: "field", id: "field-" + q.name });
  const id = "q-" + q.name;
  let input;
  if (q.type === "bool") {
    input = Object.assign(document.createElement("input"), { type: "checkbox", id });
    const label = Object.assign(document.createElement("label"), { className: "check", htmlFor: id });
    label.append(input, q.help);
    field.append(label);
  } else {
    const label = Object.assign(document.createElement("label"), { htmlFor: id, textContent: q.help });
    if (q.choices.length) {
      input = document.createElement("select");
      for (const c of q.choices) input.append(new Option(c.label, c.value));
    } else {
      input = Object.assign(document.createElement("input"), { type: "text", autocomplete: "off", spellcheck: false });
    }
    input.id = id;
    field.append(label, input);
  }
  input.name = q.name;
  input.setAttribute("aria-describedby", "error-" + q.name);
  input.addEventListener(q.type === "str" && !q.choices.length ? "input" : "change", () => {
    state.answers[q.name] = q.type === "bool" ? input.checked : input.value;
    changed();
  });
  if (q.details) {
    const details = document.createElement("details");
    details.append(Object.assign(document.createElement("summary"), { textContent: "More" }), q.details);
    field.append(details);
  }
  field.append(Object.assign(document.createElement("p"), { className: "error", id: "error-" + q.name, role: "alert" }));
  return field;
}

function changed() {
  changedAt = changedAt ?? performance.now();
  $("preview").classList.add("stale");
  clearTimeout(timer);
  timer = setTimeout(refresh, 120);
}

async function refresh() {
  const mine = ++sequence, started = changedAt, body = choice();
  changedAt = null;
  history.replaceState(null, "", location.pathname + location.hash);
  let resolved;
  try {
    resolved = await (await post("/api/resolve", body)).json();
    $("dest-error").textContent = "";
  } catch (error) {
    if (mine === sequence) showProblem(error.message);
    return;
  }
  if (mine !== sequence) return;
  // An answer to a question that no longer applies (kubernetes once docker is off) is dropped,
  // as the CLI would never ask it; sent on, it could clash with the answers that remain.
  const asked = new Set(resolved.fields.map((f) => f.name));
  for (const name of Object.keys(state.answers)) if (!asked.has(name)) delete state.answers[name];
  showResolved(resolved, body);
  if (resolved.problem) return;
  try {
    const preview = await (await post("/api/preview", choice())).json();
    if (mine !== sequence) return;
    showTree(preview);
    if (openFile && preview.files.some((f) => f.path === openFile)) await showFile(openFile, choice());
    $("preview").classList.remove("stale");
    if (started !== null) window.previewTimes.push(performance.now() - started);
  } catch (error) {
    if (mine === sequence) showProblem(error.message);
  }
}

function showProblem(message) {
  problem = message;
  $("problem").textContent = message;
  $("download").disabled = true;
}

function showResolved(resolved, body) {
  const shown = new Set(resolved.fields.map((f) => f.name));
  for (const q of catalog.questions) $("field-" + q.name).hidden = !shown.has(q.name);
  for (const f of resolved.fields) {
    const input = $("q-" + f.name);
    if (input.type === "checkbox") input.checked = f.value;
    else if (document.activeElement !== input || !(f.name in state.answers)) input.value = f.value;
    input.classList.toggle("invalid", Boolean(f.error));
    $("error-" + f.name).textContent = f.error || "";
  }
  document.querySelector(`input[name=framework][value="${body.framework}"]`).checked = true;
  problem = resolved.problem;
  $("problem").textContent = resolved.clash || (resolved.problem ? "Fix the answers marked above." : "");
  $("command").value = resolved.command;
  const share = new URLSearchParams({ framework: body.framework, dest: body.dest, ...resolved.data });
  $("share").value = location.origin + location.pathname + "#" + share.toString();
  history.replaceState(null, "", "#" + share.toString());
  $("download").disabled = Boolean(resolved.problem);
}

function showTree(preview) {
  const tree = $("tree"), seen = new Set();
  tree.replaceChildren();
  $("tree-title").textContent = preview.dest + "/ (" + preview.files.length + " files)";
  for (const file of preview.files) {
    const parts = file.path.split("/");
    for (let depth = 1; depth < parts.length; depth++) {
      const dir = parts.slice(0, depth).join("/");
      if (seen.has(dir)) continue;
      seen.add(dir);
      tree.append(Object.assign(document.createElement("li"), { className: "dir", textContent: "\u00a0".repeat(2 * (depth - 1)) + parts[depth - 1] + "/" }));
    }
    const item = document.createElement("li"), button = document.createElement("button");
    button.type = "button";
    button.dataset.path = file.path;
    button.textContent = "\u00a0".repeat(2 * (parts.length - 1)) + parts[parts.length - 1];
    button.append(Object.assign(document.createElement("span"), { className: "size", textContent: file.size + " B" }));
    button.setAttribute("aria-current", String(file.path === openFile));
    button.addEventListener("click", () => showFile(file.path, choice()).catch((e) => showProblem(e.message)));
    item.append(button);
    tree.append(item);
  }
}

async function showFile(path, body) {
  const file = await (await post("/api/file", { ...body, path })).json();
  openFile = path;
  $("file-title").textContent = path;
  $("file").firstChild.innerHTML = file.text === null ? "(binary file, " + file.size + " bytes)" : window.highlight(path, file.text);
  for (const b of $("tree").querySelectorAll("button")) b.setAttribute("aria-current", String(b.dataset.path === path));
}

async function copy(id) {
  const input = $(id);
  input.select();
  try { await navigator.clipboard.writeText(input.value); } catch (e) { document.execCommand("copy"); }
  $("status").textContent = "Copied.";
}

async function download() {
  const button = $("download");
  button.disabled = true;
  $("status").textContent = "Making the project (first commit, dependency lock)...";
  try {
    const response = await post("/api/zip", choice());
    const link = Object.assign(document.createElement("a"), {
      href: URL.createObjectURL(await response.blob()), download: choice().dest + ".zip",
    });
    link.click();
    $("status").textContent = "Downloaded " + link.download + ".";
  } catch (error) {
    $("status").textContent = error.message;
  } finally {
    button.disabled = Boolean(problem);
  }
}

function restore() {
  const params = new URLSearchParams(location.hash.slice(1));
  for (const [key, value] of params) {
    if (key === "framework") state.framework = value;
    else if (key === "dest") state.dest = value;
    else state.answers[key] = value;
  }
  $("dest").value = state.dest;
}

async function start() {
  catalog = await (await fetch("/api/catalog")).json();
  buildForm();
  restore();
  $("dest").placeholder = catalog.dest;
  $("git-note").textContent = catalog.git
    ? "The zip holds the project with its first commit (git), as scaffold new makes it, and a .env with a fresh secret key."
    : "git is not installed where this page is served: the zip has no .git folder; run git init in it. Its .env holds a fresh secret key.";
  $("copy-command").addEventListener("click", () => copy("command"));
  $("copy-share").addEventListener("click", () => copy("share"));
  $("download").addEventListener("click", download);
  changed();
}

start();
