// app.js -- the admin page: a thin client of /admin/api.  The token stays
// in this tab's sessionStorage only.
"use strict";

const $ = (id) => document.getElementById(id);
const api = "/admin/api/";
let token = sessionStorage.getItem("token") || "";
// An address with "#token=..." (what a first run prints) signs this tab in:
// the fragment never reaches the server, and leaves the address bar here.
if (location.hash.startsWith("#token=")) {
	token = decodeURIComponent(location.hash.slice(7));
	history.replaceState(null, "", location.pathname + location.search);
}
let branches = [], regions = [];

function say(text) { $("status").textContent = text; }

async function call(method, path, body) {
	const opts = { method, headers: { Authorization: "Bearer " + token } };
	if (body !== undefined) {
		opts.headers["Content-Type"] = "application/json";
		opts.body = JSON.stringify(body);
	}
	const r = await fetch(api + path, opts);
	const data = r.status === 204 ? null : await r.json();
	if (!r.ok) {
		const field = data && data.field ? " (" + data.field + ")" : "";
		throw new Error((data && data.error ? data.error : r.statusText) + field);
	}
	return data;
}

function cell(tr, text) {
	const td = document.createElement("td");
	td.textContent = text === null || text === undefined ? "" : String(text);
	tr.appendChild(td);
	return td;
}

function button(td, label, fn) {
	const b = document.createElement("button");
	b.type = "button";
	b.textContent = label;
	b.addEventListener("click", fn);
	td.appendChild(b);
	return b;
}

// Each tab: the id of its section, and what fills it (other files add
// theirs: dashboard.js, simulator.js).
const tabs = { branches: loadBranches, regions: loadRegions, leads: loadLeads,
	optouts: loadOptouts, outbox: loadOutbox };

function show(tab) {
	say("");
	for (const s of document.querySelectorAll("main > section"))
		s.hidden = s.id !== tab;
	if (tabs[tab]) tabs[tab]().catch((e) => say(e.message));
}

async function loadRegions() {
	regions = await call("GET", "regions");
	const sel = $("b-region");
	sel.replaceChildren(new Option("(none)", ""));
	const rows = $("region-rows");
	rows.replaceChildren();
	for (const r of regions) {
		sel.appendChild(new Option(r.name, r.name));
		const tr = document.createElement("tr");
		cell(tr, r.name);
		const inputs = ["organiser_name", "organiser_phone", "organiser_email"].map((f) => {
			const td = document.createElement("td");
			const i = document.createElement("input");
			i.value = r[f];
			i.setAttribute("aria-label", r.name + " " + f.replace("_", " "));
			td.appendChild(i);
			tr.appendChild(td);
			return [f, i];
		});
		button(cell(tr, ""), "Save", async () => {
			try {
				const body = {};
				for (const [f, i] of inputs) body[f] = i.value;
				await call("PUT", "regions/" + r.id, body);
				say("Saved " + r.name);
			} catch (e) { say(e.message); }
		});
		rows.appendChild(tr);
	}
}

function drawBranches() {
	const q = $("search").value.toLowerCase();
	const rows = $("branch-rows");
	rows.replaceChildren();
	for (const b of branches) {
		if (q && ![b.name, b.postcode, b.region].join(" ").toLowerCase().includes(q))
			continue;
		const tr = document.createElement("tr");
		cell(tr, b.name); cell(tr, b.postcode); cell(tr, b.region);
		cell(tr, b.coverage.join("; "));
		const td = cell(tr, "");
		button(td, "Edit", () => edit(b)).setAttribute("aria-label", "Edit " + b.name);
		button(td, "Remove", async () => {
			if (!confirm("Remove " + b.name + "?")) return;
			try { await call("DELETE", "branches/" + b.id); say("Removed " + b.name); loadBranches(); }
			catch (e) { say(e.message); }
		}).setAttribute("aria-label", "Remove " + b.name);
		rows.appendChild(tr);
	}
}

const fields = ["name", "postcode", "latitude", "longitude", "meets", "contact_name",
	"contact_phone", "contact_email", "region", "coverage"];

function edit(b) {
	$("form-title").textContent = "Edit " + b.name;
	$("b-id").value = b.id;
	for (const f of fields) {
		const v = b[f];
		$("b-" + f).value = Array.isArray(v) ? v.join("; ") : v === null ? "" : v;
	}
	$("b-name").focus();
}

async function loadBranches() {
	if (!regions.length) await loadRegions();
	branches = await call("GET", "branches");
	drawBranches();
}

async function saveBranch(ev) {
	ev.preventDefault();
	const body = {};
	for (const f of fields) {
		const v = $("b-" + f).value.trim();
		if (v !== "" || $("b-id").value) body[f] = v;
	}
	try {
		const id = $("b-id").value;
		await call(id ? "PUT" : "POST", id ? "branches/" + id : "branches", body);
		say("Saved " + body.name);
		$("branch-form").reset();
		$("b-id").value = "";
		$("form-title").textContent = "Add a branch";
		await loadBranches();
	} catch (e) { say("Not saved: " + e.message); }
}

let leads = [];
async function loadLeads() {
	leads = (await call("GET", "leads?per_page=500")).leads;
	const rows = $("lead-rows");
	rows.replaceChildren();
	for (const l of leads.slice().reverse()) {
		const tr = document.createElement("tr");
		cell(tr, new Date(l.created_at * 1000).toISOString().slice(0, 16).replace("T", " "));
		cell(tr, l.name || "(no name)"); cell(tr, l.phone); cell(tr, l.postcode);
		cell(tr, l.branch || l.region || "");
		rows.appendChild(tr);
	}
}

// The server writes the file (every lead, not only those on the page),
// as `gateway lead export` does: cells a spreadsheet would run are text.
async function exportLeads() {
	const r = await fetch(api + "leads.csv", { headers: { Authorization: "Bearer " + token } });
	if (!r.ok)
		throw new Error("export: " + r.statusText);
	const a = document.createElement("a");
	a.href = URL.createObjectURL(await r.blob());
	a.download = "leads.csv";
	a.click();
}

async function loadOptouts() {
	const rows = $("optout-rows");
	rows.replaceChildren();
	for (const o of await call("GET", "optouts")) {
		const tr = document.createElement("tr");
		cell(tr, o.phone);
		cell(tr, new Date(o.at * 1000).toISOString().slice(0, 10));
		cell(tr, o.source);
		rows.appendChild(tr);
	}
}

async function loadOutbox() {
	const rows = $("dead-rows");
	rows.replaceChildren();
	for (const o of await call("GET", "outbox?state=dead")) {
		const tr = document.createElement("tr");
		cell(tr, o.recipient); cell(tr, o.purpose); cell(tr, o.last_error);
		button(cell(tr, ""), "Retry", async () => {
			try { await call("POST", "outbox/" + o.id + "/retry"); say("Queued again"); loadOutbox(); }
			catch (e) { say(e.message); }
		});
		rows.appendChild(tr);
	}
}

async function signIn(ev) {
	if (ev) ev.preventDefault();
	if (ev) token = $("token").value;
	try {
		await call("GET", "regions");
		sessionStorage.setItem("token", token);
		$("signin").hidden = true;
		$("nav").hidden = false;
		say("");
		show("branches");
	} catch (e) {
		say("Sign-in failed: " + e.message);
		sessionStorage.removeItem("token");
	}
}

$("signin").addEventListener("submit", signIn);
$("signout").addEventListener("click", () => { sessionStorage.removeItem("token"); location.reload(); });
$("branch-form").addEventListener("submit", saveBranch);
$("b-cancel").addEventListener("click", () => { $("b-id").value = ""; $("form-title").textContent = "Add a branch"; });
$("search").addEventListener("input", drawBranches);
$("export").addEventListener("click", () => exportLeads().catch((e) => say(e.message)));
for (const b of document.querySelectorAll("nav [data-tab]"))
	b.addEventListener("click", () => show(b.dataset.tab));
if (token) signIn();
