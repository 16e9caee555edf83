// dashboard.js -- the Dashboard tab: GET /admin/api/stats drawn in the
// page (SVG made here, nothing fetched from elsewhere).  Leads per day as a
// chart, the breakdowns as tables, and a map of Great Britain traced by the
// district centroids themselves: faint dots, districts shaded by their
// leads (never a lead's own place), each active branch a marker inside its
// radius.  Every drawing has a text equivalent beside it.
// Uses app.js's $, call, say and tabs.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
let dashRange = { days: 30 };

function svgEl(name, attrs, parent) {
	const e = document.createElementNS(SVG, name);
	for (const [k, v] of Object.entries(attrs || {}))
		e.setAttribute(k, String(v));
	if (parent) parent.appendChild(e);
	return e;
}

function el(name, text, parent, cls) {
	const e = document.createElement(name);
	if (text !== undefined && text !== null) e.textContent = String(text);
	if (cls) e.className = cls;
	if (parent) parent.appendChild(e);
	return e;
}

const fmt = (n) => Number(n).toLocaleString("en-GB");

function day(d) { return d.toISOString().slice(0, 10); }

function statsQuery() {
	const q = new URLSearchParams();
	if (dashRange.days) {
		const until = new Date();
		q.set("since", day(new Date(until.getTime() - (dashRange.days - 1) * 86400000)));
		q.set("until", day(until));
	} else {
		if ($("d-since").value) q.set("since", $("d-since").value);
		if ($("d-until").value) q.set("until", $("d-until").value);
	}
	if ($("d-campaign").value.trim()) q.set("campaign", $("d-campaign").value.trim());
	return "stats?" + q.toString();
}

async function loadDashboard() {
	for (const b of document.querySelectorAll("#dashboard [data-days]"))
		b.setAttribute("aria-pressed", String(Number(b.dataset.days) === dashRange.days));
	const s = await call("GET", statsQuery());
	$("d-since").value = s.since;
	$("d-until").value = s.until;
	$("d-range").textContent = s.since + " to " + s.until +
	    (s.campaign ? ", campaign " + s.campaign : "");
	drawFigures(s);
	drawChart(s.per_day);
	drawBreakdowns(s);
	drawUnserved(s.unserved_districts);
	drawMap(s);
}

function drawFigures(s) {
	const dl = $("d-figures");
	dl.replaceChildren();
	const rate = s.optout_rate === null ? "none yet" :
	    (100 * s.optout_rate).toFixed(1) + "% (" + fmt(s.optouts) + " of " + fmt(s.numbers) + " numbers)";
	for (const [label, value, id] of [
		["Leads", fmt(s.leads_total), "d-total"],
		["Fell through to a region or national contact", fmt(s.fallthrough), "d-fell"],
		["Opt-out rate", rate, "d-optout"],
		["Dead letters (now)", fmt(s.dead_letters), "d-dead"],
	]) {
		const div = el("div", null, dl);
		el("dt", label, div);
		el("dd", value, div).id = id;
	}
}

// Leads per day: one bar a day, the axis marked at round numbers.  The
// table below it says the same in words.
function drawChart(days) {
	const W = 640, H = 220, L = 44, B = 28, T = 10;
	const max = Math.max(1, ...days.map((d) => d.leads));
	const step = Math.pow(10, Math.floor(Math.log10(max)));
	const top = Math.ceil(max / step) * step;
	const svg = $("d-chart");
	svg.replaceChildren();
	svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
	const total = days.reduce((a, d) => a + d.leads, 0);
	const peak = days.reduce((a, d) => (d.leads > a.leads ? d : a), days[0]);
	$("d-chart-desc").textContent = `${fmt(total)} leads over ${days.length} days, ` +
	    `from ${days[0].date} to ${days[days.length - 1].date}; the most, ${fmt(peak.leads)}, on ${peak.date}.`;
	const y = (v) => H - B - (H - B - T) * v / top;
	for (let i = 0; i <= 4; i++) {
		const v = top * i / 4;
		svgEl("line", { x1: L, x2: W, y1: y(v), y2: y(v), class: "grid" }, svg);
		svgEl("text", { x: L - 6, y: y(v) + 4, "text-anchor": "end", class: "axis" }, svg).textContent = fmt(v);
	}
	const bw = (W - L) / days.length;
	days.forEach((d, i) => {
		const r = svgEl("rect", { x: L + i * bw + bw * 0.1, y: y(d.leads), width: bw * 0.8,
		    height: H - B - y(d.leads), class: "bar" }, svg);
		svgEl("title", {}, r).textContent = `${d.date}: ${d.leads} leads`;
		if (i % Math.ceil(days.length / 6) === 0)
			svgEl("text", { x: L + i * bw + bw / 2, y: H - 8, "text-anchor": "middle",
			    class: "axis" }, svg).textContent = d.date.slice(5);
	});
	const rows = $("d-day-rows");
	rows.replaceChildren();
	for (const d of days) {
		const tr = el("tr", null, rows);
		el("td", d.date, tr);
		el("td", fmt(d.leads), tr);
	}
}

// A breakdown as a table, a bar in each row drawn to scale; rows that
// fell through are marked, in words as well as colour.
function breakdown(tbody, rows, name, caption) {
	tbody.replaceChildren();
	const max = Math.max(1, ...rows.map((r) => r.leads));
	for (const r of rows) {
		const tr = el("tr", null, tbody, r.fallthrough ? "fallthrough" : "");
		const label = name(r);
		el("th", label, tr).scope = "row";
		const td = el("td", fmt(r.leads), tr, "num");
		const bar = el("span", null, td, "meter");
		bar.style.inlineSize = (100 * r.leads / max).toFixed(1) + "%";
		bar.setAttribute("aria-hidden", "true");
		if (r.fallthrough) el("td", "Fell through: needs a branch", tr);
		else el("td", "", tr);
	}
	if (!rows.length) {
		const td = el("td", "No leads in this range", el("tr", null, tbody));
		td.colSpan = 3;
	}
	tbody.parentElement.querySelector("caption").textContent = caption;
}

const kindNames = {
	coverage: "Covered by a branch", nearest: "Nearest branch in range",
	region: "Regional organiser", national: "National contact",
	out_of_area: "Out of area", none: "Postcode not found", no_postcode: "No postcode yet",
};

function drawBreakdowns(s) {
	breakdown($("d-kind-rows"), s.by_match_kind, (r) => kindNames[r.kind] || r.kind, "By how they were matched");
	breakdown($("d-region-rows"), s.by_region, (r) => r.name, "By region");
	breakdown($("d-branch-rows"), s.by_branch.map((b) => ({ ...b, fallthrough: b.id === null })),
	    (r) => (r.id === null ? "No branch" : r.name + (r.active ? "" : " (inactive)")), "By branch");
	breakdown($("d-campaign-rows"), s.by_campaign, (r) => r.campaign || "(no campaign)", "By campaign");
}

function drawUnserved(list) {
	const rows = $("d-unserved-rows");
	rows.replaceChildren();
	for (const u of list) {
		const tr = el("tr", null, rows);
		el("th", u.district, tr).scope = "row";
		el("td", fmt(u.leads), tr, "num");
		el("td", fmt(u.fallthrough), tr, "num");
		el("td", u.region || "(no region)", tr);
	}
	if (!list.length)
		el("td", "Every district with leads has a branch in reach", el("tr", null, rows)).colSpan = 4;
}

// The map: an equirectangular projection squeezed by the cosine of Great
// Britain's middle latitude, which is near enough at this size.
function drawMap(s) {
	const svg = $("d-map");
	svg.replaceChildren();
	const pts = s.districts;
	if (!pts.length) return;
	const k = Math.cos(54.5 * Math.PI / 180), S = 60;
	const lons = pts.map((p) => p.lon), lats = pts.map((p) => p.lat);
	const x0 = Math.min(...lons) - 0.5, x1 = Math.max(...lons) + 0.5;
	const y0 = Math.min(...lats) - 0.3, y1 = Math.max(...lats) + 0.3;
	const W = (x1 - x0) * k * S, H = (y1 - y0) * S;
	svg.setAttribute("viewBox", `0 0 ${W.toFixed(0)} ${H.toFixed(0)}`);
	const px = (lon) => ((lon - x0) * k * S).toFixed(1);
	const py = (lat) => ((y1 - lat) * S).toFixed(1);
	const dots = svgEl("g", { class: "centroids" }, svg);
	for (const p of pts)
		svgEl("circle", { cx: px(p.lon), cy: py(p.lat), r: 1.4 }, dots);
	const withLeads = pts.filter((p) => p.leads > 0).sort((a, b) => a.leads - b.leads);
	const max = Math.max(1, ...withLeads.map((p) => p.leads));
	const shade = svgEl("g", { class: "districts" }, svg);
	for (const p of withLeads) {
		// Shaded by the share of the busiest district's leads, on a
		// square-root scale so that small districts still show.
		const c = svgEl("circle", { cx: px(p.lon), cy: py(p.lat), r: 5,
		    "fill-opacity": (0.15 + 0.85 * Math.sqrt(p.leads / max)).toFixed(2) }, shade);
		svgEl("title", {}, c).textContent = `${p.district}: ${p.leads} leads`;
	}
	const active = s.branches.filter((b) => b.active);
	const reach = svgEl("g", { class: "reach" }, svg);
	const marks = svgEl("g", { class: "branches" }, svg);
	for (const b of active) {
		svgEl("circle", { cx: px(b.lon), cy: py(b.lat), r: (b.radius_km / 111.2 * S).toFixed(1) }, reach);
		const m = svgEl("g", { class: "branch-marker", transform: `translate(${px(b.lon)} ${py(b.lat)})` }, marks);
		svgEl("path", { d: "M0 -9 L6 0 L0 9 L-6 0 Z" }, m);
		svgEl("title", {}, m).textContent = `${b.name} (${b.radius_km} km)`;
	}
	$("d-map-desc").textContent = `Great Britain traced by ${fmt(pts.length)} postcode district centres. ` +
	    `${fmt(withLeads.length)} districts had leads, shaded darker for more; the busiest, ` +
	    (withLeads.length ? `${withLeads[withLeads.length - 1].district} with ${fmt(max)}. ` : "none. ") +
	    `${active.length} active branches are marked with their ${active.length ? active[0].radius_km : 0} km reach.`;
	const list = $("d-map-branches");
	list.replaceChildren();
	for (const b of active)
		el("li", `${b.name}: ${b.lat.toFixed(3)}, ${b.lon.toFixed(3)}`, list);
}

for (const b of document.querySelectorAll("#dashboard [data-days]"))
	b.addEventListener("click", () => {
		dashRange = { days: Number(b.dataset.days) };
		loadDashboard().catch((e) => say(e.message));
	});
$("d-form").addEventListener("submit", (ev) => {
	ev.preventDefault();
	dashRange = {};
	loadDashboard().catch((e) => say(e.message));
});
tabs.dashboard = loadDashboard;
