// templates.js -- the Replies tab: the reply templates, edited with a live
// count of SMS segments worked out here as the network will count them
// (the same GSM 03.38 rules as gateway/segments.c), and a preview the
// server fills with example data from the directory.
"use strict";

// GSM-7: the basic table costs one septet, the extension table two (ESC +
// septet); anything else makes the whole text UCS-2.
const gsmBasic = new Set(Array.from("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./" +
	"0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"));
const gsmExt = new Set(Array.from("\f^{}\\[~]|€"));

// What the server makes of typographic punctuation before it counts or
// sends (segments.c punct_plain): keep the two lists the same.
const plain = new Map();
for (const [chars, to] of [
	["\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000", " "],
	["\u00ad\u200b\u2060\ufeff", ""],
	["\u2018\u2019\u201a\u201b\u2032\u2035\u02bc\u00b4`", "'"],
	["\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", "\""],
	["\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"],
	["\u2026", "..."], ["\u2039", "<"], ["\u203a", ">"], ["\u2044\u2215", "/"],
])
	for (const c of chars) plain.set(c, to);

const knownFields = ["name", "postcode", "branch", "meets", "contact", "phone", "email",
	"distance", "region"];

function smarten(text) {
	let out = "";
	for (const c of text) out += plain.has(c) ? plain.get(c) : c;
	return out;
}

// Segments as the network counts them: greedy parts that never split an
// ESC pair or a surrogate pair.
function smsCount(text) {
	const pack = (costs, single, part) => {
		let units = 0, parts = 1, fill = 0;
		for (const c of costs) {
			units += c;
			if (fill + c > part) { parts++; fill = c; } else fill += c;
		}
		return units <= single ? { units, segments: 1, per_segment: single } :
			{ units, segments: parts, per_segment: part };
	};
	const chars = Array.from(text);
	const ucs2 = chars.filter((c) => !gsmBasic.has(c) && !gsmExt.has(c));
	if (ucs2.length === 0)
		return { encoding: "GSM-7", ucs2: [],
			...pack(chars.map((c) => gsmExt.has(c) ? 2 : 1), 160, 153) };
	return { encoding: "UCS-2", ucs2: [...new Set(ucs2)],
		...pack(chars.map((c) => c.codePointAt(0) > 0xffff ? 2 : 1), 70, 67) };
}

// The template filled with example values as reply.c fills it: an optional
// part [ ... ] goes when a field in it is empty.
function fillTemplate(text, ex) {
	const span = (s, st) => s.replace(/\{([^}]*)\}/g, (m, f) => {
		const v = ex[f] || "";
		if (!v) st.empty++;
		return v;
	});
	return text.split(/(\[[^\]]*\])/).map((piece) => {
		const st = { empty: 0 };
		if (piece.startsWith("[") && piece.endsWith("]")) {
			const inner = span(piece.slice(1, -1), st);
			return st.empty ? "" : inner;
		}
		return span(piece, st);
	}).join("");
}

let templates = [], budget = 0, editing = null, previewTimer = 0;

function describeChar(c) {
	const cp = c.codePointAt(0).toString(16).toUpperCase().padStart(4, "0");
	return c.trim() ? "\u201c" + c + "\u201d (U+" + cp + ")" : "U+" + cp;
}

function drawCount() {
	const text = $("t-text").value;
	const unknown = [...text.matchAll(/\{([^}]*)\}/g)].map((m) => m[1])
		.filter((f) => !knownFields.includes(f));
	const c = smsCount(smarten(fillTemplate(text, editing ? editing.example : {})));
	const out = $("t-count");
	out.dataset.segments = c.segments;
	out.dataset.encoding = c.encoding;
	out.dataset.units = c.units;
	out.textContent = c.segments + (c.segments === 1 ? " SMS" : " SMS segments") + ", " +
		c.encoding + ", " + c.units + (c.encoding === "GSM-7" ? " characters" : " UTF-16 units") +
		" (" + c.per_segment + " a segment), filled with the example below" +
		(budget && c.segments > budget ? ". Over the budget of " + budget +
			": optional parts [ ] are left out, last first" : "");
	const notes = [];
	if (unknown.length)
		notes.push("Unknown field " + unknown.map((f) => "{" + f + "}").join(", ") +
			": saving will be refused. Fields: " + knownFields.map((f) => "{" + f + "}").join(" "));
	if (c.ucs2.length) {
		notes.push("Not in GSM-7, so the whole reply goes as UCS-2 (70 characters an SMS): " +
			c.ucs2.map(describeChar).join(", ") + ".");
		if (c.ucs2.some((ch) => "ŵŷŴŶ".includes(ch)))
			notes.push("ŵ and ŷ are not GSM-7 characters: they make a reply UCS-2 " +
				"(an instance with transliterate = yes sends w and y instead).");
	}
	$("t-notes").textContent = notes.join(" ");
}

function previewBlock(title, f) {
	const div = document.createElement("div");
	const h = document.createElement("h4");
	h.textContent = title;
	const p = document.createElement("p");
	p.className = "sms";
	p.textContent = f.text;
	const m = document.createElement("p");
	m.textContent = f.segments + (f.segments === 1 ? " SMS" : " SMS segments") + ", " +
		f.encoding + ", " + f.units + (f.encoding === "GSM-7" ? " characters" : " UTF-16 units") +
		(f.full.segments > f.segments ? " (optional parts left out to fit; " +
			f.full.segments + " in full)" : "");
	div.append(h, p, m);
	return div;
}

async function preview() {
	if (!editing) return;
	const panel = $("t-preview");
	try {
		const r = await call("POST", "templates/preview", { name: editing.name, text: $("t-text").value });
		panel.replaceChildren(previewBlock("With example data", r.example),
			previewBlock("With the longest likely values", r.longest));
		panel.dataset.segments = r.example.full.segments;
		panel.dataset.encoding = r.example.full.encoding;
		panel.dataset.units = r.example.full.units;
		panel.dataset.text = $("t-text").value;
	} catch (e) {
		const p = document.createElement("p");
		p.textContent = "No preview: " + e.message;
		panel.replaceChildren(p);
		delete panel.dataset.text;
	}
}

function schedulePreview() {
	clearTimeout(previewTimer);
	previewTimer = setTimeout(preview, 300);
}

function editTemplate(t) {
	editing = t;
	$("template-form").hidden = false;
	$("t-title").textContent = "Edit the " + t.name + " reply (" + t.about + ")";
	$("t-text").value = t.text;
	$("t-default").textContent = "Default (gateway.conf): " + t.default;
	drawCount();
	preview();
	$("t-text").focus();
}

async function loadTemplates() {
	const r = await call("GET", "templates");
	templates = r.templates;
	budget = r.max_segments;
	const rows = $("template-rows");
	rows.replaceChildren();
	for (const t of templates) {
		const tr = document.createElement("tr");
		cell(tr, t.name); cell(tr, t.about); cell(tr, t.text);
		cell(tr, t.edited ? "edited" : "gateway.conf");
		button(cell(tr, ""), "Edit", () => editTemplate(t))
			.setAttribute("aria-label", "Edit the " + t.name + " reply");
		rows.appendChild(tr);
	}
	if (editing)
		editing = templates.find((t) => t.name === editing.name) || null;
}

async function saveTemplate(ev) {
	ev.preventDefault();
	if (!editing) return;
	const name = editing.name;
	try {
		await call("PUT", "templates/" + name, { text: $("t-text").value });
		say("Saved the " + name + " reply");
		await loadTemplates();
	} catch (e) { say("Not saved: " + e.message); }
}

async function resetTemplate() {
	if (!editing) return;
	const name = editing.name;
	try {
		await call("DELETE", "templates/" + name);
		await loadTemplates();
		say("The " + name + " reply is back to its default");
		if (editing) editTemplate(editing);
	} catch (e) { say("Not reset: " + e.message); }
}

$("template-form").addEventListener("submit", saveTemplate);
$("t-text").addEventListener("input", () => { drawCount(); schedulePreview(); });
$("t-preview-now").addEventListener("click", preview);
$("t-reset").addEventListener("click", resetTemplate);
$("t-close").addEventListener("click", () => { $("template-form").hidden = true; editing = null; });
tabs.templates = loadTemplates;
