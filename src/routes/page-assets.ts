/**
 * The feed builder's script and style (./page.ts), served from /assets/. The script only makes the
 * form live: the URL as the fields change, a copy button, and the preview fetched from the
 * worker's own JSON Feed, with its 400 message beside the field it names. Without it the form
 * still submits and the page answers with the same.
 */

export const BUILDER_JS = `"use strict";
(() => {
  const form = document.getElementById("builder");
  if (!form) return;
  const out = document.getElementById("feed-url");
  const preview = document.getElementById("preview");
  const copy = document.getElementById("copy");
  const subscribe = document.getElementById("subscribe");
  const opml = document.getElementById("opml");
  const FIELDS = ["section", "granularity", "q", "topic", "q_re", "lang", "limit"];
  let timer = 0;
  let asked = 0;

  function feedPath(format) {
    const data = new FormData(form);
    const query = new URLSearchParams();
    for (const name of FIELDS) {
      const values = data.getAll(name).map(String).filter((v) => v !== "");
      if (values.length && !(name === "granularity" && values.join() === "section")) query.set(name, values.join(","));
    }
    const qs = query.toString();
    return "/feeds/" + encodeURIComponent(String(data.get("feed"))) + "." + format + (qs ? "?" + qs : "");
  }

  function clearErrors() {
    for (const el of form.querySelectorAll(".error.live")) el.remove();
    for (const el of form.querySelectorAll("[aria-invalid]")) { el.removeAttribute("aria-invalid"); el.removeAttribute("aria-describedby"); }
  }

  function showError(message) {
    const field = (/^(\\w+)=/.exec(message) || [])[1];
    const input = field && (document.getElementById(field === "section" ? "sections" : field));
    const p = document.createElement("p");
    p.className = "error live";
    p.setAttribute("role", "alert");
    p.textContent = message;
    if (input) {
      p.id = field + "-error";
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", p.id);
      input.insertAdjacentElement("afterend", p);
    }
    const again = p.cloneNode(true);
    again.removeAttribute("id");
    preview.replaceChildren(again);
  }

  function item(i) {
    const li = document.createElement("li");
    const h = document.createElement("h3");
    h.textContent = i.title;
    const d = document.createElement("p");
    d.className = "date";
    const t = document.createElement("time");
    t.dateTime = i.date_published || "";
    t.textContent = (i.date_published || "").slice(0, 16).replace("T", " ");
    d.append(t);
    const p = document.createElement("p");
    const doc = new DOMParser().parseFromString(i.content_html || "", "text/html");
    const text = (doc.body.textContent || "").replace(/\\s+/g, " ").trim();
    const cut = text.lastIndexOf(" ", 240);
    p.textContent = text.length > 240 ? text.slice(0, cut > 120 ? cut : 240) + "…" : text;
    li.append(h, d, p);
    return li;
  }

  async function update() {
    const format = String(new FormData(form).get("format") || "rss");
    const path = feedPath(format);
    const url = new URL(path, location.href).href;
    const a = document.createElement("a");
    a.href = path;
    a.textContent = url;
    out.replaceChildren(a);
    subscribe.href = url.replace(/^https?:/, "feed:");
    if (opml) opml.href = "/feeds/" + encodeURIComponent(String(new FormData(form).get("feed"))) + ".opml";
    history.replaceState(null, "", "/?" + new URLSearchParams(new FormData(form)).toString());
    const mine = ++asked;
    const res = await fetch(feedPath("json"), { headers: { Accept: "application/feed+json" } });
    if (mine !== asked) return;
    clearErrors();
    if (!res.ok) return showError(await res.text());
    const feed = await res.json();
    const items = feed.items.slice(0, 5);
    if (!items.length) {
      const p = document.createElement("p");
      p.textContent = "No item matches.";
      return preview.replaceChildren(p);
    }
    const ol = document.createElement("ol");
    ol.className = "items";
    ol.append(...items.map(item));
    preview.replaceChildren(ol);
  }

  form.addEventListener("input", (ev) => {
    if (ev.target && ev.target.id === "feed") return form.submit(); // its sections come with the page
    clearTimeout(timer);
    timer = setTimeout(update, 250);
  });
  form.addEventListener("submit", (ev) => {
    if (ev.submitter && ev.submitter.name === "choose") return;
    ev.preventDefault();
    update();
  });
  copy.hidden = false;
  copy.addEventListener("click", async () => {
    await navigator.clipboard.writeText(out.textContent || "");
    copy.textContent = "Copied";
    setTimeout(() => (copy.textContent = "Copy the URL"), 1500);
  });
  update();
})();
`;

export const BUILDER_CSS = `:root { color-scheme: light dark; --fg: #1b1b1b; --bg: #fff; --muted: #595959; --accent: #0b57d0; --error: #b3261e; --line: #d0d0d0; }
@media (prefers-color-scheme: dark) { :root { --fg: #e8e8e8; --bg: #141414; --muted: #b0b0b0; --accent: #8ab4f8; --error: #f2b8b5; --line: #444; } }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
main { max-width: 46rem; margin: 0 auto; padding: 1rem; overflow-wrap: anywhere; }
h1 { margin: 0.5rem 0 0; font-size: 1.8rem; }
.lead, .hint, .count, .date { color: var(--muted); }
.hint { font-size: 0.9rem; margin: 0.2rem 0 0; }
.field { margin: 1rem 0; border: 0; padding: 0; }
label, legend { display: block; font-weight: 600; }
.check { font-weight: 400; display: flex; gap: 0.5rem; align-items: baseline; padding: 0.15rem 0; }
.check input { flex: none; }
.check span { min-width: 0; }
.count { font-size: 0.85rem; }
input, select, button { font: inherit; color: inherit; }
input:not([type=checkbox]), select { width: 100%; padding: 0.45rem 0.5rem; border: 1px solid var(--line); border-radius: 0.3rem; background: var(--bg); }
button { padding: 0.45rem 0.9rem; border: 1px solid var(--accent); border-radius: 0.3rem; background: var(--accent); color: var(--bg); cursor: pointer; }
button[type=button] { background: transparent; color: var(--accent); }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
a { color: var(--accent); }
.result output { display: block; word-break: break-all; padding: 0.6rem; border: 1px solid var(--line); border-radius: 0.3rem; }
.actions { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; }
.error { color: var(--error); font-weight: 600; margin: 0.3rem 0 0; }
[aria-invalid=true] { border-color: var(--error) !important; }
.items { padding-left: 1.2rem; }
.items h3 { font-size: 1rem; margin: 0.8rem 0 0; }
.items p { margin: 0.2rem 0; }
`;

/** The tab's icon: slices of a page, in the accent colour. */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#0b57d0"/><path d="M4 5h8M4 8h8M4 11h5" stroke="#fff" stroke-width="1.6" stroke-linecap="round"/></svg>
`;
