// geokg explorer: search an actor, draw its neighbourhood, read the evidence.
// Plain ES module, no build step. Cytoscape.js is vendored in static/vendor/.
// Every piece of text from the API goes into the page through text nodes (never innerHTML).

const API = new URL("api/v1/", document.baseURI);
const NODE_LIMIT = 300;
const EVENTS_PAGE = 20;
const MAX_FIT_ZOOM = 1.4;
const LABEL_ALL = 60; // up to this many nodes, every node is named
const LABEL_TOP = 40; // above, only this many

const QUAD_NAMES = {
  1: "verbal cooperation",
  2: "material cooperation",
  3: "verbal conflict",
  4: "material conflict",
};
const EXPORT_FORMATS = [
  ["gexf", "GEXF · Gephi"],
  ["graphml", "GraphML"],
  ["cytoscape", "Cytoscape JSON"],
  ["nodelink", "Node-link JSON"],
  ["csv", "CSV (zip)"],
];
const KIND_COLORS = {
  country: "#2557d6",
  organization: "#8e44ad",
  person: "#e08a00",
  group: "#1f9e89",
};
// Qualitative palette, well apart from each other and from the edges' red and green.
const PALETTE = [
  "#4e79a7",
  "#f28e2b",
  "#76b7b2",
  "#edc948",
  "#b07aa1",
  "#ff9da7",
  "#9c755f",
  "#2f4b7c",
  "#17becf",
  "#6a3d9a",
  "#bcbd22",
  "#d4a373",
];
const NO_COUNTRY = "#98a2b3";
const RED = [210, 60, 60];
const AMBER = [217, 164, 58];
const GREEN = [46, 157, 87];

// ---------------------------------------------------------------- state and URL

const DEFAULTS = {
  actor: "",
  depth: "1",
  start: "",
  end: "",
  plover: "",
  quad_class: "",
  rollup: "actor",
  color: "country",
  edge: "",
  node: "",
};
const FILTER_KEYS = ["start", "end", "plover", "quad_class", "rollup"];
const state = readState();

function readState() {
  const params = new URLSearchParams(location.search);
  const out = { ...DEFAULTS };
  for (const key of Object.keys(DEFAULTS)) {
    const value = params.get(key);
    if (value !== null) out[key] = value.trim();
  }
  if (!["1", "2", "3"].includes(out.depth)) out.depth = DEFAULTS.depth;
  if (!["actor", "country"].includes(out.rollup)) out.rollup = DEFAULTS.rollup;
  if (!["country", "kind"].includes(out.color)) out.color = DEFAULTS.color;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(out.start)) out.start = "";
  if (!/^\d{4}-\d{2}-\d{2}$/.test(out.end)) out.end = "";
  if (!["", "1", "2", "3", "4"].includes(out.quad_class)) out.quad_class = "";
  return out;
}

function writeState() {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(state)) {
    if (value && value !== DEFAULTS[key]) params.set(key, value);
  }
  const query = params.toString();
  const url = query ? `${location.pathname}?${query}` : location.pathname;
  if (url !== location.pathname + location.search) history.replaceState(null, "", url);
  updateExports();
  countActiveFilters();
}

function filterParams() {
  const params = {};
  for (const key of FILTER_KEYS)
    if (state[key] && state[key] !== DEFAULTS[key]) params[key] = state[key];
  return params;
}

// ---------------------------------------------------------------- helpers

class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

function apiUrl(path, params = {}) {
  const url = new URL(path, API);
  for (const [key, value] of Object.entries(params)) {
    if (value !== "" && value !== null && value !== undefined) url.searchParams.set(key, value);
  }
  return url;
}

async function api(path, params = {}, signal = undefined) {
  const response = await fetch(apiUrl(path, params), {
    signal,
    headers: { Accept: "application/json" },
  });
  if (!response.ok) {
    let detail = `${response.status} ${response.statusText}`;
    try {
      const body = await response.json();
      if (typeof body.detail === "string") detail = body.detail;
      else if (Array.isArray(body.detail)) detail = body.detail.map((d) => d.msg).join("; ");
    } catch {
      // not JSON: keep the status line
    }
    throw new ApiError(response.status, detail);
  }
  return response.json();
}

const isAbort = (error) => error && error.name === "AbortError";

/** Build an element: attributes, listeners (`onclick`), then children as nodes or text. */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

const SVG_NS = "http://www.w3.org/2000/svg";
function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

function setAttrs(el, attrs) {
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function")
      el.addEventListener(key.slice(2), value);
    else if (key === "class") el.setAttribute("class", value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
}

/** Only http(s) links from article metadata become hrefs. */
function safeHref(url) {
  if (!url) return null;
  try {
    const parsed = new URL(url, location.href);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

const $ = (selector) => document.querySelector(selector);
const fmt = new Intl.NumberFormat("en");
const plural = (n, word) => `${fmt.format(n)} ${word}${n === 1 ? "" : "s"}`;

function hashString(text) {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  return hash >>> 0;
}

// Each country's colour comes from a hash of its code; two countries of the same view that
// hash alike take the next free colour, in code order, so the picture stays deterministic.
let countryColors = new Map();

function assignCountryColors(countries) {
  const taken = new Set();
  countryColors = new Map();
  for (const country of [...new Set(countries)].filter(Boolean).sort()) {
    let slot = hashString(country) % PALETTE.length;
    for (let tries = 0; taken.has(slot) && tries < PALETTE.length; tries += 1) {
      slot = (slot + 1) % PALETTE.length;
    }
    taken.add(slot);
    countryColors.set(country, PALETTE[slot]);
  }
}

function nodeColor(node, by) {
  if (by === "kind") return KIND_COLORS[node.kind] || NO_COUNTRY;
  if (!node.country) return NO_COUNTRY;
  return countryColors.get(node.country) || PALETTE[hashString(node.country) % PALETTE.length];
}

function mix(a, b, t) {
  return a.map((v, i) => Math.round(v + (b[i] - v) * t));
}

/** Cooperation (quad classes 1–2) against conflict (3–4): green, amber, red. */
function balanceColor(quads) {
  const coop = (quads["1"] || 0) + (quads["2"] || 0);
  const conf = (quads["3"] || 0) + (quads["4"] || 0);
  const total = coop + conf;
  const balance = total ? (coop - conf) / total : 0; // -1 … 1
  const rgb = balance >= 0 ? mix(AMBER, GREEN, balance) : mix(AMBER, RED, -balance);
  return `rgb(${rgb.join(",")})`;
}

const nodeSize = (events, count) =>
  count > 100
    ? Math.min(80, 9 + 6 * Math.log2(1 + events))
    : Math.min(96, 18 + 8 * Math.log2(1 + events));
const edgeWidth = (events) => Math.min(14, 1 + 1.6 * Math.log2(1 + events));

function quadBar(quads, cls = "balance") {
  const total = [1, 2, 3, 4].reduce((sum, q) => sum + (quads[q] || 0), 0);
  const bar = h("div", { class: cls, role: "img", "aria-label": quadSummary(quads) });
  if (!total) return bar;
  for (const q of [2, 1, 3, 4]) {
    const n = quads[q] || 0;
    if (n)
      bar.append(
        h("span", {
          class: `q${q}`,
          style: `width:${(100 * n) / total}%`,
          title: `${QUAD_NAMES[q]}: ${n}`,
        }),
      );
  }
  return bar;
}

function quadSummary(quads) {
  return [1, 2, 3, 4].map((q) => `${QUAD_NAMES[q]} ${quads[q] || 0}`).join(", ");
}

function quadLegend() {
  return h(
    "div",
    { class: "quad-legend" },
    [2, 1, 3, 4].map((q) => h("span", {}, h("i", { class: `q${q}` }), QUAD_NAMES[q])),
  );
}

function setStatus(text, error = false) {
  const el = $("#status");
  el.textContent = text;
  el.classList.toggle("error", error);
}

function setPageState(value) {
  document.body.dataset.state = value;
}

// ---------------------------------------------------------------- the graph

let cy = null;
let graphController = null;
let focusId = null;
let actorInfo = null; // the searched actor's profile
let graphSeq = 0;

const geokg = { cy: null, state, draws: 0, lastDraw: null };
window.geokg = geokg;

const STYLE = [
  {
    selector: "node",
    style: {
      "background-color": "data(color)",
      width: "data(size)",
      height: "data(size)",
      label: "data(label)",
      "font-size": 11,
      color: "#1d2330",
      "text-valign": "bottom",
      "text-halign": "center",
      "text-margin-y": 3,
      "text-outline-color": "#ffffff",
      "text-outline-width": 2,
      "min-zoomed-font-size": 7,
      "border-width": 1.5,
      "border-color": "#ffffff",
    },
  },
  {
    selector: "node.focus",
    style: {
      "border-width": 3,
      "border-color": "#1d2330",
      "font-weight": "bold",
      "font-size": 13,
      "z-index": 10,
    },
  },
  {
    selector: "node:selected",
    style: { "border-width": 4, "border-color": "#2557d6", label: "data(name)" },
  },
  { selector: "node.hover", style: { label: "data(name)", "z-index": 20 } },
  {
    selector: "edge",
    style: {
      width: "data(width)",
      "line-color": "data(color)",
      "curve-style": "bezier",
      opacity: 0.7,
      "source-arrow-shape": "data(sourceArrow)",
      "target-arrow-shape": "data(targetArrow)",
      "source-arrow-color": "data(color)",
      "target-arrow-color": "data(color)",
      "arrow-scale": 0.7,
    },
  },
  {
    selector: "edge:selected",
    style: {
      opacity: 1,
      "underlay-color": "#2557d6",
      "underlay-opacity": 0.4,
      "underlay-padding": 5,
    },
  },
  { selector: ".faded", style: { opacity: 0.12 } },
];

function ensureCy() {
  if (cy) return cy;
  cy = window.cytoscape({
    container: $("#cy"),
    style: STYLE,
    minZoom: 0.1,
    maxZoom: 4,
    boxSelectionEnabled: false,
    selectionType: "single",
  });
  geokg.cy = cy;
  cy.on("tap", "node", (event) => selectNode(event.target.id()));
  cy.on("tap", "edge", (event) => selectEdge(event.target.id()));
  cy.on("tap", (event) => {
    if (event.target === cy) clearSelection();
  });
  cy.on("dbltap", "node", (event) => focusActor(event.target.id()));
  cy.on("mouseover", "node", (event) => {
    const near = event.target.closedNeighborhood();
    cy.elements().not(near).addClass("faded");
    event.target.addClass("hover");
    $("#cy").style.cursor = "pointer";
  });
  cy.on("mouseout", "node", () => {
    cy.elements().removeClass("faded hover");
    $("#cy").style.cursor = "";
  });
  cy.on("mouseover", "edge", (event) => {
    const d = event.target.data();
    setStatus(`${d.sourceName} – ${d.targetName}: ${plural(d.events, "event")}`);
    $("#cy").style.cursor = "pointer";
  });
  cy.on("mouseout", "edge", () => {
    setStatus(graphSummary());
    $("#cy").style.cursor = "";
  });
  return cy;
}

function graphSummary() {
  if (!cy || !cy.nodes().length) return "";
  return `${plural(cy.nodes().length, "node")} · ${plural(cy.edges().length, "edge")}`;
}

export const dyadId = (a, b) => (a < b ? `${a}~${b}` : `${b}~${a}`);

/** The API's directed edges merged into one dyad per pair, arrows for the directions seen. */
function toElements(payload, previous) {
  const names = new Map(payload.nodes.map((n) => [n.id, n.name]));
  const dyads = new Map();
  for (const e of payload.edges) {
    const id = dyadId(e.source, e.target);
    const [a, b] = e.source < e.target ? [e.source, e.target] : [e.target, e.source];
    let d = dyads.get(id);
    if (!d) {
      d = {
        id,
        source: a,
        target: b,
        events: 0,
        evidence: 0,
        goldstein_sum: 0,
        ab: 0,
        ba: 0,
        quad_classes: { 1: 0, 2: 0, 3: 0, 4: 0 },
        first: e.first,
        last: e.last,
      };
      dyads.set(id, d);
    }
    d.events += e.events;
    d.evidence += e.evidence;
    d.goldstein_sum += e.goldstein_sum;
    if (e.source === a) d.ab += e.events;
    else d.ba += e.events;
    for (const q of ["1", "2", "3", "4"]) d.quad_classes[q] += e.quad_classes[q] || 0;
    if (e.first && (!d.first || e.first < d.first)) d.first = e.first;
    if (e.last && (!d.last || e.last > d.last)) d.last = e.last;
  }

  // Start positions: rings by hop distance from the focus, ordered by id, so that the same
  // data always gives the same picture; nodes already on screen keep their place.
  const adjacency = new Map(payload.nodes.map((n) => [n.id, []]));
  for (const d of dyads.values()) {
    adjacency.get(d.source)?.push(d.target);
    adjacency.get(d.target)?.push(d.source);
  }
  const hops = new Map([[focusId, 0]]);
  const queue = [focusId];
  while (queue.length) {
    const node = queue.shift();
    for (const next of adjacency.get(node) || []) {
      if (!hops.has(next)) {
        hops.set(next, hops.get(node) + 1);
        queue.push(next);
      }
    }
  }
  const rings = new Map();
  for (const n of [...payload.nodes].sort((x, y) => (x.id < y.id ? -1 : 1))) {
    const ring = hops.get(n.id) ?? 4;
    if (!rings.has(ring)) rings.set(ring, []);
    rings.get(ring).push(n.id);
  }
  const start = new Map();
  for (const [ring, ids] of rings) {
    ids.forEach((id, i) => {
      const angle = (2 * Math.PI * i) / ids.length + ring * 0.5;
      const radius = ring === 0 ? 0 : 120 * ring + 4 * ids.length;
      start.set(id, { x: radius * Math.cos(angle), y: radius * Math.sin(angle) });
    });
  }

  assignCountryColors(payload.nodes.map((n) => n.country));

  // Big graphs: name only the busiest nodes; the others show their name on hover.
  const labelled = new Set(
    [...payload.nodes]
      .sort((x, y) => y.events - x.events || (x.id < y.id ? -1 : 1))
      .slice(0, payload.nodes.length > LABEL_ALL ? LABEL_TOP : LABEL_ALL)
      .map((n) => n.id),
  );
  const nodes = payload.nodes.map((n) => ({
    group: "nodes",
    data: {
      id: n.id,
      label: labelled.has(n.id) || n.id === focusId ? n.name : "",
      name: n.name,
      kind: n.kind,
      country: n.country || "",
      sector: n.sector || "",
      events: n.events,
      color: nodeColor(n, state.color),
      size: nodeSize(n.events, payload.nodes.length),
    },
    position: previous.get(n.id) || start.get(n.id),
    classes: n.id === focusId ? "focus" : "",
  }));
  const edges = [...dyads.values()].map((d) => ({
    group: "edges",
    data: {
      ...d,
      goldstein_mean: d.events ? d.goldstein_sum / d.events : 0,
      sourceName: names.get(d.source) || d.source,
      targetName: names.get(d.target) || d.target,
      color: balanceColor(d.quad_classes),
      width: edgeWidth(d.events),
      targetArrow: d.ab ? "triangle" : "none",
      sourceArrow: d.ba ? "triangle" : "none",
    },
  }));
  return [...nodes, ...edges];
}

function layoutOptions(n) {
  return {
    name: "cose",
    animate: false,
    randomize: false,
    fit: true,
    padding: 40,
    componentSpacing: 80,
    nodeRepulsion: () => 16000,
    idealEdgeLength: () => 80,
    edgeElasticity: () => 80,
    nestingFactor: 1.2,
    gravity: 0.4,
    // cose is O(n²) per iteration: keep the first draw of a 300-node neighbourhood well under
    // a second; the ring start positions make up for the fewer iterations.
    numIter: Math.round(Math.max(100, Math.min(1000, 1.1e7 / (n * n)))),
    initialTemp: 200,
    coolingFactor: 0.95,
    minTemp: 1.0,
  };
}

function nextFrame() {
  return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
}

async function loadGraph() {
  updateExports();
  if (!state.actor) {
    showEmpty();
    return;
  }
  $("#empty").hidden = true;
  graphController?.abort();
  graphController = new AbortController();
  const { signal } = graphController;
  const seq = ++graphSeq;
  const started = performance.now();
  setPageState("loading");
  setStatus("Loading…");
  try {
    const params = { ...filterParams(), depth: state.depth, limit: NODE_LIMIT };
    const [payload, profile] = await Promise.all([
      api(`graph/neighborhood/${encodeURIComponent(state.actor)}`, params, signal),
      actorInfo?.id === state.actor
        ? actorInfo
        : api(`actors/${encodeURIComponent(state.actor)}`, {}, signal),
    ]);
    if (seq !== graphSeq) return;
    actorInfo = profile;
    if (!$("#search").matches(":focus")) $("#search").value = profile.name;
    document.title = `${profile.name} · geokg explorer`;
    await draw(payload, started);
  } catch (error) {
    if (isAbort(error) || seq !== graphSeq) return;
    setPageState("error");
    if (cy) cy.elements().remove();
    if (error instanceof ApiError && error.status === 404) {
      setStatus(`Unknown actor “${state.actor}”. Search for another one.`, true);
    } else {
      setStatus(`Could not load the graph: ${error.message}`, true);
    }
    renderLegend([]);
  }
}

async function draw(payload, started) {
  const drawStart = performance.now();
  const ids = new Set(payload.nodes.map((n) => n.id));
  const actorCountry = actorInfo?.country;
  if (ids.has(state.actor)) focusId = state.actor;
  else if (actorCountry && ids.has(actorCountry)) focusId = actorCountry;
  else
    focusId =
      payload.nodes.reduce((best, n) => (!best || n.events > best.events ? n : best), null)?.id ??
      null;

  const graph = ensureCy();
  const previous = new Map(graph.nodes().map((n) => [n.id(), { ...n.position() }]));
  graph.batch(() => {
    graph.elements().remove();
    graph.add(toElements(payload, previous));
  });
  const layoutStart = performance.now();
  if (payload.nodes.length) {
    graph.layout(layoutOptions(payload.nodes.length)).run();
    if (graph.zoom() > MAX_FIT_ZOOM) {
      graph.zoom(MAX_FIT_ZOOM);
      graph.center();
    }
  }
  const layoutMs = performance.now() - layoutStart;
  await nextFrame();
  const now = performance.now();
  geokg.draws += 1;
  geokg.lastDraw = {
    nodes: graph.nodes().length,
    edges: graph.edges().length,
    ms: Math.round(now - drawStart),
    layoutMs: Math.round(layoutMs),
    totalMs: Math.round(now - started),
  };
  renderLegend(payload.nodes);
  if (!payload.nodes.length) {
    setStatus(`No events for ${actorInfo?.name || state.actor} with these filters.`);
    renderDetailsEmpty("No events match the filters. Widen the date range or clear the filters.");
    setPageState("ready");
    return;
  }
  setStatus(graphSummary());
  restoreSelection();
  setPageState("ready");
}

function restoreSelection() {
  if (state.edge && cy.$id(state.edge).nonempty()) {
    selectEdge(state.edge);
  } else if (state.node && cy.$id(state.node).nonempty()) {
    selectNode(state.node);
  } else {
    state.edge = "";
    state.node = "";
    writeState();
    cy.elements().unselect();
    if (focusId) renderNode(focusId);
  }
}

function renderLegend(nodes) {
  const legend = $("#legend");
  legend.replaceChildren();
  if (!nodes.length) return;
  legend.append(h("span", {}, "conflict", h("i", { class: "gradient" }), "cooperation"));
  const counts = new Map();
  for (const n of nodes) {
    const key = state.color === "kind" ? n.kind : n.country || "";
    counts.set(key, (counts.get(key) || 0) + n.events);
  }
  const top = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
  for (const [key] of top) {
    const color =
      state.color === "kind"
        ? KIND_COLORS[key] || NO_COUNTRY
        : nodeColor({ country: key }, "country");
    legend.append(
      h("span", {}, h("i", { class: "swatch", style: `background:${color}` }), key || "no country"),
    );
  }
  legend.append(h("span", {}, "size: events · width: events"));
}

function recolor() {
  if (!cy) return;
  cy.batch(() => {
    cy.nodes().forEach((n) => n.data("color", nodeColor(n.data(), state.color)));
  });
  renderLegend(cy.nodes().map((n) => n.data()));
}

// ---------------------------------------------------------------- selection and the side panel

let panelController = null;

function newPanel() {
  panelController?.abort();
  panelController = new AbortController();
  return panelController.signal;
}

function clearSelection() {
  state.edge = "";
  state.node = "";
  writeState();
  cy?.elements().unselect();
  if (focusId) renderNode(focusId);
}

function selectNode(id) {
  state.node = id;
  state.edge = "";
  writeState();
  const node = cy?.$id(id);
  if (node?.nonempty() && !node.selected()) {
    cy.elements().unselect();
    node.select();
  }
  renderNode(id);
}

function selectEdge(id) {
  state.edge = id;
  state.node = "";
  writeState();
  const edge = cy?.$id(id);
  if (edge?.nonempty() && !edge.selected()) {
    cy.elements().unselect();
    edge.select();
  }
  renderEdge(id);
}

function focusActor(id) {
  if (!id || id === state.actor) return;
  state.actor = id;
  state.edge = "";
  state.node = "";
  actorInfo = null;
  writeState();
  loadGraph();
}

function renderDetailsEmpty(text) {
  newPanel();
  $("#details").replaceChildren(h("p", { class: "muted" }, text));
}

function describeActor(actor) {
  return [actor.kind, actor.country, actor.sector].filter(Boolean).join(" · ");
}

async function renderNode(id) {
  const signal = newPanel();
  const details = $("#details");
  const node = cy?.$id(id);
  const name = node?.nonempty() ? node.data("name") : id;
  details.replaceChildren(
    h("p", { class: "kicker" }, "Actor"),
    h("h2", {}, name),
    h("p", { class: "muted" }, "Loading profile…"),
  );
  try {
    const [profile, counterparts] = await Promise.all([
      api(`actors/${encodeURIComponent(id)}`, {}, signal),
      api(
        `actors/${encodeURIComponent(id)}/relations`,
        { ...filterParams(), group: "counterpart", direction: "both", limit: 20 },
        signal,
      ),
    ]);
    if (signal.aborted) return;
    const facts = h(
      "dl",
      { class: "facts" },
      h("dt", {}, "Id"),
      h("dd", {}, profile.id),
      h("dt", {}, "Code"),
      h("dd", {}, profile.code),
      profile.aliases?.length
        ? [h("dt", {}, "Aliases"), h("dd", {}, profile.aliases.slice(0, 12).join(", "))]
        : null,
      h("dt", {}, "Events"),
      h(
        "dd",
        {},
        `${fmt.format(profile.events_out)} as source · ${fmt.format(profile.events_in)} as target`,
      ),
      h("dt", {}, "Seen"),
      h("dd", {}, profile.first_seen ? `${profile.first_seen} → ${profile.last_seen}` : "—"),
    );
    const actions = h("div", { class: "actions" });
    if (id !== focusId) {
      actions.append(
        h(
          "button",
          { type: "button", class: "small", onclick: () => focusActor(id) },
          `Centre the graph on ${profile.name}`,
        ),
      );
    }
    const list = h("ul", { class: "counterparts" });
    const rows = mergeDirections(counterparts.data).slice(0, 10);
    for (const row of rows) {
      const other = row.counterpart;
      const edgeKey = dyadId(id, other.id);
      const inGraph = cy?.$id(edgeKey).nonempty();
      const arrows = [
        row.out ? `→ ${fmt.format(row.out)}` : null,
        row.in ? `← ${fmt.format(row.in)}` : null,
      ];
      list.append(
        h(
          "li",
          {},
          h(
            "button",
            {
              type: "button",
              class: "link",
              title: inGraph ? "Show the events of this pair" : `Centre the graph on ${other.name}`,
              onclick: () => (inGraph ? selectEdge(edgeKey) : focusActor(other.id)),
            },
            other.name,
          ),
          h(
            "span",
            {
              class: "n",
              title: `${profile.name} → ${other.name}: ${row.out}; ${other.name} → ${profile.name}: ${row.in}`,
            },
            plural(row.events, "event"),
            ` (${arrows.filter(Boolean).join(" ")})`,
          ),
          quadBar(row.quad_classes),
        ),
      );
    }
    details.replaceChildren(
      ...[
        h("p", { class: "kicker" }, describeActor(profile) || "Actor"),
        h("h2", {}, profile.name),
        facts,
        actions.childNodes.length ? actions : null,
        h(
          "section",
          { class: "card" },
          h("h3", {}, "Top counterparts", filtersActive() ? " (filtered)" : ""),
          rows.length ? list : h("p", { class: "muted" }, "No events with these filters."),
          rows.length ? quadLegend() : null,
        ),
      ].filter(Boolean),
    );
  } catch (error) {
    if (isAbort(error)) return;
    details.replaceChildren(
      h("h2", {}, name),
      h("p", { class: "status error" }, `Could not load the profile: ${error.message}`),
    );
  }
}

/** One row per counterpart: the API answers one per direction. */
function mergeDirections(rows) {
  const merged = new Map();
  for (const row of rows) {
    const key = row.counterpart.id;
    let m = merged.get(key);
    if (!m) {
      m = {
        counterpart: row.counterpart,
        events: 0,
        out: 0,
        in: 0,
        quad_classes: { 1: 0, 2: 0, 3: 0, 4: 0 },
      };
      merged.set(key, m);
    }
    m.events += row.events;
    if (row.direction === "in") m.in += row.events;
    else m.out += row.events;
    for (const q of ["1", "2", "3", "4"]) m.quad_classes[q] += row.quad_classes[q] || 0;
  }
  return [...merged.values()].sort((a, b) => b.events - a.events);
}

function filtersActive() {
  return Boolean(state.start || state.end || state.plover || state.quad_class);
}

async function renderEdge(id) {
  const signal = newPanel();
  const details = $("#details");
  const edge = cy?.$id(id);
  if (!edge || edge.empty()) return;
  const d = edge.data();
  const events = h("ol", { class: "events", "aria-label": "Events" });
  const more = h(
    "button",
    { type: "button", class: "ghost small", hidden: true },
    "Show more events",
  );
  const timeline = h("div", { class: "timeline" }, h("p", { class: "muted" }, "Loading timeline…"));
  const directions = [
    d.ab ? `${d.sourceName} → ${d.targetName}: ${fmt.format(d.ab)}` : null,
    d.ba ? `${d.targetName} → ${d.sourceName}: ${fmt.format(d.ba)}` : null,
  ]
    .filter(Boolean)
    .join(" · ");
  details.replaceChildren(
    h("p", { class: "kicker" }, "Relation"),
    h("h2", { class: "dyad-title" }, `${d.sourceName} – ${d.targetName}`),
    h(
      "dl",
      { class: "facts" },
      h("dt", {}, "Events"),
      h("dd", {}, `${fmt.format(d.events)} (${directions})`),
      h("dt", {}, "Goldstein"),
      h("dd", {}, `mean ${d.goldstein_mean.toFixed(1)}, sum ${d.goldstein_sum.toFixed(1)}`),
      h("dt", {}, "Dates"),
      h("dd", {}, d.first ? `${d.first} → ${d.last}` : "—"),
    ),
    h("div", {}, quadBar(d.quad_classes), quadLegend()),
    h("section", { class: "card" }, h("h3", {}, "Monthly events by quad class"), timeline),
    h("section", { class: "card" }, h("h3", {}, "Events and evidence"), events, more),
  );

  let offset = 0;
  const loadEvents = async () => {
    more.hidden = true;
    const page = await api(
      `actors/${encodeURIComponent(d.source)}/relations`,
      {
        ...filterParams(),
        counterpart: d.target,
        direction: "both",
        group: "none",
        limit: EVENTS_PAGE,
        offset,
      },
      signal,
    );
    if (signal.aborted) return;
    for (const event of page.data) events.append(renderEvent(event, signal));
    offset += page.data.length;
    more.hidden = offset >= page.count;
    more.textContent = `Show more events (${fmt.format(page.count - offset)} left)`;
    if (!page.count) events.append(h("li", { class: "muted" }, "No events."));
  };
  more.addEventListener("click", () => loadEvents().catch(panelError));
  const panelError = (error) => {
    if (isAbort(error)) return;
    events.append(
      h("li", { class: "status error" }, `Could not load the events: ${error.message}`),
    );
  };

  const timelineParams = { ...filterParams(), interval: "month" };
  await Promise.all([
    loadEvents().catch(panelError),
    api(
      `dyads/${encodeURIComponent(d.source)}/${encodeURIComponent(d.target)}/timeline`,
      timelineParams,
      signal,
    )
      .then((body) => {
        if (!signal.aborted) timeline.replaceChildren(timelineChart(body.data));
      })
      .catch((error) => {
        if (!isAbort(error))
          timeline.replaceChildren(
            h("p", { class: "status error" }, `Could not load the timeline: ${error.message}`),
          );
      }),
  ]);
}

function renderEvent(event, signal) {
  const when =
    event.date_precision === "year"
      ? event.date.slice(0, 4)
      : event.date_precision === "month"
        ? event.date.slice(0, 7)
        : event.date;
  const evidence = h("div", { class: "evidence-list" }, event.evidence.map(renderEvidence));
  const item = h(
    "li",
    { class: `event qc${event.quad_class}`, "data-event-id": event.id },
    h(
      "div",
      { class: "event-head" },
      h("time", { datetime: event.date }, when),
      h("span", { class: "code", title: `CAMEO ${event.cameo}` }, event.cameo),
      h("span", { class: "name" }, event.cameo_name),
      event.plover ? h("span", { class: "tag", title: "PLOVER type" }, event.plover) : null,
      event.negated ? h("span", { class: "tag neg" }, "negated") : null,
    ),
    h(
      "div",
      { class: "event-who" },
      `${event.source.name} → ${event.target.name} · Goldstein ${event.goldstein}`,
    ),
    evidence,
  );
  // The relations list may come without the article's title and url: read them from the event.
  if (event.evidence.some((ev) => !ev.article_url && !ev.article_title)) {
    api(`events/${event.id}`, {}, signal)
      .then((full) => {
        if (!signal.aborted) evidence.replaceChildren(...full.evidence.map(renderEvidence));
      })
      .catch(() => {
        // keep the evidence without links
      });
  }
  return item;
}

function renderEvidence(ev) {
  const href = safeHref(ev.article_url);
  const label =
    ev.article_title ||
    (ev.article_source ? `${ev.article_source} article` : `article #${ev.article_id}`);
  const source = h(
    "span",
    { class: "src" },
    href ? h("a", { href, target: "_blank", rel: "noopener noreferrer" }, label) : label,
    ev.article_title && ev.article_source ? ` · ${ev.article_source}` : null,
  );
  return h(
    "blockquote",
    { class: "evidence" },
    h("span", { class: "sentence" }, ev.sentence),
    source,
  );
}

/** Monthly counts stacked by quad class, drawn by hand in SVG. */
function timelineChart(points) {
  if (!points.length) return h("p", { class: "muted" }, "No events in this range.");
  const width = 360;
  const height = 120;
  const left = 26;
  const bottom = 18;
  const top = 6;
  const plotW = width - left - 4;
  const plotH = height - bottom - top;
  const max = Math.max(1, ...points.map((p) => p.events));
  const step = plotW / points.length;
  const barW = Math.max(1, step * 0.8);
  const svg = s("svg", {
    viewBox: `0 0 ${width} ${height}`,
    role: "img",
    "aria-label": "Monthly events by quad class",
  });
  svg.append(
    s("line", {
      x1: left,
      x2: width - 4,
      y1: top + plotH + 0.5,
      y2: top + plotH + 0.5,
      stroke: "#cfd4dc",
    }),
    s("text", { x: left - 4, y: top + 8, "text-anchor": "end", class: "axis" }, String(max)),
    s("text", { x: left - 4, y: top + plotH, "text-anchor": "end", class: "axis" }, "0"),
  );
  const colors = { 1: "#8cc9a0", 2: "#2e9d57", 3: "#f0a35e", 4: "#d23c3c" };
  points.forEach((p, i) => {
    const x = left + i * step + (step - barW) / 2;
    let y = top + plotH;
    const group = s(
      "g",
      { class: "bar" },
      s(
        "title",
        {},
        `${p.period.slice(0, 7)}: ${plural(p.events, "event")} — ${quadSummary(p.quad_classes)}`,
      ),
    );
    for (const q of [2, 1, 3, 4]) {
      const n = p.quad_classes[q] || 0;
      if (!n) continue;
      const barH = (n / max) * plotH;
      y -= barH;
      group.append(
        s("rect", {
          x: x.toFixed(2),
          y: y.toFixed(2),
          width: barW.toFixed(2),
          height: barH.toFixed(2),
          fill: colors[q],
        }),
      );
    }
    // a transparent full-height target so the tooltip works on short bars too
    group.append(
      s("rect", {
        x: (left + i * step).toFixed(2),
        y: top,
        width: step.toFixed(2),
        height: plotH,
        fill: "transparent",
      }),
    );
    svg.append(group);
  });
  const ticks = new Set([0, points.length - 1]);
  if (points.length > 8) ticks.add(Math.floor((points.length - 1) / 2));
  for (const i of ticks) {
    const x = left + i * step + step / 2;
    const anchor = i === 0 ? "start" : i === points.length - 1 ? "end" : "middle";
    svg.append(
      s(
        "text",
        {
          x: i === 0 ? left : i === points.length - 1 ? width - 4 : x,
          y: height - 4,
          "text-anchor": anchor,
          class: "axis",
        },
        points[i].period.slice(0, 7),
      ),
    );
  }
  return h("div", {}, svg, quadLegend());
}

// ---------------------------------------------------------------- exports

function updateExports() {
  const box = $("#export-links");
  const params = { ...filterParams() };
  if (state.actor) {
    params.actors = state.actor;
    params.depth = state.depth;
  }
  box.replaceChildren(
    ...EXPORT_FORMATS.map(([format, label]) => {
      const url = apiUrl("graph/export", { format, ...params });
      return h(
        "a",
        {
          href: url.pathname + url.search,
          download: "",
          "data-format": format,
          title: state.actor
            ? `The neighbourhood of ${state.actor} with the current filters`
            : "The whole graph with the current filters",
        },
        label,
      );
    }),
  );
}

// ---------------------------------------------------------------- search with autocomplete

function setupSearch() {
  const input = $("#search");
  const list = $("#suggestions");
  let timer = 0;
  let seq = 0;
  let items = [];
  let active = -1;

  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };
  const highlight = (index) => {
    active = index;
    [...list.children].forEach((li, i) => li.setAttribute("aria-selected", String(i === index)));
    if (index >= 0) input.setAttribute("aria-activedescendant", `suggestion-${index}`);
  };
  const choose = (actor) => {
    close();
    input.value = actor.name;
    input.blur();
    actorInfo = null;
    state.actor = actor.id;
    state.edge = "";
    state.node = "";
    writeState();
    loadGraph();
  };
  const search = async (query) => {
    const mine = ++seq;
    try {
      const page = await api("actors", { q: query, limit: 8 });
      if (mine !== seq || input.value.trim() !== query) return;
      items = page.data;
      list.replaceChildren(
        ...(items.length
          ? items.map((actor, i) =>
              h(
                "li",
                {
                  id: `suggestion-${i}`,
                  role: "option",
                  "aria-selected": "false",
                  "data-id": actor.id,
                  onmousedown: (event) => {
                    event.preventDefault();
                    choose(actor);
                  },
                },
                h("span", { class: "label" }, actor.name),
                h("span", { class: "meta" }, [actor.id, actor.kind].join(" · ")),
              ),
            )
          : [
              h(
                "li",
                { class: "none", role: "option", "aria-disabled": "true" },
                "No matching actor",
              ),
            ]),
      );
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      highlight(items.length ? 0 : -1);
    } catch (error) {
      if (mine === seq) {
        list.replaceChildren(h("li", { class: "none" }, `Search failed: ${error.message}`));
        list.hidden = false;
      }
    }
  };
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const query = input.value.trim();
    if (!query) {
      seq += 1;
      close();
      return;
    }
    timer = setTimeout(() => search(query), 120);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && items.length) {
      event.preventDefault();
      highlight((active + 1) % items.length);
    } else if (event.key === "ArrowUp" && items.length) {
      event.preventDefault();
      highlight((active - 1 + items.length) % items.length);
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (!list.hidden && items[active]) choose(items[active]);
    } else if (event.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", close);
  input.addEventListener("focus", () => input.select());
}

// ---------------------------------------------------------------- filters and the start page

function setupFilters(ontology, stats) {
  const plover = $("#plover");
  for (const type of ontology?.plover_types || [])
    plover.append(h("option", { value: type }, type));
  const quad = $("#quad_class");
  const names = ontology?.quad_classes || QUAD_NAMES;
  for (const q of ["1", "2", "3", "4"])
    quad.append(h("option", { value: q }, `${q} · ${names[q] || QUAD_NAMES[q]}`));
  for (const key of ["start", "end"]) {
    const input = $(`#${key}`);
    if (stats?.first_date) input.min = stats.first_date;
    if (stats?.last_date) input.max = stats.last_date;
  }
  syncControls();

  const onChange = (event) => {
    const key = event.target.name;
    state[key] = event.target.value;
    if (key === "start" || key === "end") {
      if (state.start && state.end && state.start > state.end) {
        const other = key === "start" ? "end" : "start";
        state[other] = state[key];
        $(`#${other}`).value = state[key];
      }
    }
    if (key === "color") {
      writeState();
      recolor();
      return;
    }
    if (key === "rollup") {
      state.edge = "";
      state.node = "";
    }
    writeState();
    loadGraph();
  };
  for (const el of $("#filters").querySelectorAll("input, select"))
    el.addEventListener("change", onChange);
  $("#filters").addEventListener("submit", (event) => event.preventDefault());
  $("#reset").addEventListener("click", () => {
    Object.assign(state, {
      start: "",
      end: "",
      plover: "",
      quad_class: "",
      rollup: "actor",
      depth: "1",
    });
    syncControls();
    writeState();
    loadGraph();
  });
  $("#fit").addEventListener("click", () => {
    if (!cy) return;
    cy.fit(undefined, 40);
    if (cy.zoom() > MAX_FIT_ZOOM) {
      cy.zoom(MAX_FIT_ZOOM);
      cy.center();
    }
  });
  $("#relayout").addEventListener("click", () => {
    if (cy?.nodes().length)
      cy.layout({ ...layoutOptions(cy.nodes().length), randomize: true }).run();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && document.activeElement === document.body) clearSelection();
  });
}

function setupFiltersToggle() {
  const toggle = $("#filters-toggle");
  toggle.addEventListener("click", () => {
    const open = $(".topbar").classList.toggle("filters-open");
    toggle.setAttribute("aria-expanded", String(open));
  });
}

function countActiveFilters() {
  const active =
    ["start", "end", "plover", "quad_class"].filter((key) => state[key]).length +
    (state.rollup !== DEFAULTS.rollup) +
    (state.depth !== DEFAULTS.depth);
  $("#filters-toggle").textContent = active ? `Filters (${active})` : "Filters";
}

function syncControls() {
  for (const key of ["start", "end", "plover", "quad_class", "rollup", "depth", "color"]) {
    const el = $(`#${key}`);
    el.value = state[key];
    if (el.value !== state[key]) state[key] = el.value; // an option that does not exist
  }
}

function showEmpty() {
  $("#empty").hidden = false;
  if (cy) cy.elements().remove();
  renderLegend([]);
  setStatus("");
  renderDetailsEmpty("Search an actor to start.");
  document.title = "geokg explorer";
  setPageState("ready");
}

function renderStarters(stats) {
  const box = $("#starters");
  if (!stats) return;
  box.replaceChildren(
    ...stats.top_actors
      .slice(0, 10)
      .map((actor) =>
        h(
          "button",
          { type: "button", class: "chip", onclick: () => focusActor(actor.id) },
          actor.name,
        ),
      ),
  );
  $("#store-stats").textContent = stats.events
    ? `${plural(stats.events, "event")} from ${plural(stats.articles, "article")}, ${plural(stats.actors, "actor")}, ${stats.first_date} → ${stats.last_date}.`
    : "The store is empty: POST articles to /api/v1/articles, or run `make run` to load the samples.";
}

async function main() {
  if (!window.cytoscape) {
    setStatus("The graph library did not load (static/vendor/cytoscape.min.js).", true);
    setPageState("error");
    return;
  }
  setupSearch();
  setupFiltersToggle();
  updateExports();
  let ontology = null;
  let stats = null;
  try {
    [ontology, stats] = await Promise.all([api("ontology"), api("stats")]);
  } catch (error) {
    setStatus(`Could not reach the API: ${error.message}`, true);
  }
  setupFilters(ontology, stats);
  renderStarters(stats);
  writeState();
  await loadGraph();
}

main();
