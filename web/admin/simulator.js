// simulator.js -- the Simulator tab: a phone that texts the gateway from a
// number in Ofcom's drama range through POST /admin/api/simulate, and
// shows each reply with what the gateway made of the text.  Uses $, call
// and say from app.js, and registers itself in its tabs.
"use strict";

(() => {
	const numbers = [];
	for (let n = 900; n < 910; n++) numbers.push("+447700900" + n);
	const threads = {};	// number -> [{ text, answer }]
	let built = false;

	function el(tag, cls, text) {
		const e = document.createElement(tag);
		if (cls) e.className = cls;
		if (text !== undefined) e.textContent = text;
		return e;
	}

	function build() {
		const s = $("simulator");
		s.innerHTML = `
<h2 id="h-simulator">Simulator</h2>
<p class="sim-note">Texts from a test number go through the real gateway: parsing,
conversation, geocoding, matching and the reply. Nothing is sent to a provider;
the rows are marked as tests and kept out of leads, exports, metrics and
notifications.</p>
<div class="sim-phone" role="group" aria-labelledby="sim-phone-label">
  <p id="sim-phone-label" class="sim-top">Test phone</p>
  <label for="sim-from">Test number</label>
  <select id="sim-from"></select>
  <ol id="sim-thread" class="sim-thread" aria-label="Conversation" aria-live="polite"></ol>
  <form id="sim-form">
    <label for="sim-text">Message</label>
    <textarea id="sim-text" rows="2" maxlength="1000" required
      placeholder="e.g. Jane Smith SE1 7PB"></textarea>
    <div class="sim-check"><input type="checkbox" id="sim-notify">
      <label for="sim-notify">Notify as well (organisers are told, as for a real lead)</label></div>
    <div class="buttons"><button type="submit" id="sim-send">Send</button></div>
  </form>
</div>
<div class="buttons"><button type="button" id="sim-clear">Clear test data</button></div>`;
		const sel = $("sim-from");
		for (const n of numbers) sel.appendChild(new Option(n, n));
		sel.addEventListener("change", draw);
		$("sim-form").addEventListener("submit", send);
		// Enter sends, Shift+Enter is a new line, as on a phone's keyboard.
		$("sim-text").addEventListener("keydown", (ev) => {
			if (ev.key === "Enter" && !ev.shiftKey) {
				ev.preventDefault();
				$("sim-form").requestSubmit();
			}
		});
		$("sim-clear").addEventListener("click", clear);
		built = true;
	}

	function codepoint(ch) {
		return "U+" + ch.codePointAt(0).toString(16).toUpperCase().padStart(4, "0");
	}

	// What the gateway made of a text, beside its reply.
	function details(a) {
		const dl = el("dl", "sim-info");
		const row = (k, v) => { dl.appendChild(el("dt", "", k)); dl.appendChild(el("dd", "", v)); };
		const p = a.parse;
		const parts = [p.kind];
		if (p.keyword) parts.push("keyword " + p.keyword);
		if (p.name) parts.push("name " + p.name);
		if (p.postcode) parts.push("postcode " + p.postcode);
		row("Parse", parts.join(", "));
		const g = a.geocode;
		row("Geocode", g.level === "none" ? "none" :
		    g.level + " (" + g.lat.toFixed(4) + ", " + g.lon.toFixed(4) + ")");
		const m = a.match;
		let match = m.kind;
		if (m.branch) match += ": " + m.branch;
		if (m.distance_km !== null) match += " (" + m.distance_km + " km)";
		row("Match", match);
		row("Reason", m.reason);
		if (a.segments) {
			const sg = a.segments;
			row("Segments", sg.count + " \u00d7 " + sg.encoding + " (" + sg.units +
			    " characters, " + sg.per_segment + " a part)");
			if (sg.ucs2_chars.length)
				row("UCS-2 because of", sg.ucs2_chars.map((c) =>
				    "\u201c" + c + "\u201d " + codepoint(c)).join(", "));
		}
		if (a.lead_id !== null) row("Lead", "#" + a.lead_id + " (test)");
		return dl;
	}

	function draw() {
		const list = $("sim-thread");
		list.replaceChildren();
		for (const m of threads[$("sim-from").value] || []) {
			list.appendChild(el("li", "sim-in", m.text));
			if (!m.answer) continue;
			if (!m.answer.replies.length) {
				const li = el("li", "sim-out sim-none", "(no reply)");
				li.appendChild(details(m.answer));
				list.appendChild(li);
			}
			for (const r of m.answer.replies) {
				const li = el("li", "sim-out");
				li.appendChild(el("p", "sim-bubble", r));
				li.appendChild(details(m.answer));
				list.appendChild(li);
			}
		}
		list.scrollTop = list.scrollHeight;
	}

	async function send(ev) {
		ev.preventDefault();
		const from = $("sim-from").value, text = $("sim-text").value.trim();
		if (!text) return;
		const thread = threads[from] || (threads[from] = []);
		const m = { text, answer: null };
		thread.push(m);
		$("sim-text").value = "";
		draw();
		$("sim-send").disabled = true;
		try {
			m.answer = await call("POST", "simulate",
			    { from, text, notify: $("sim-notify").checked });
			say("");
		} catch (e) {
			thread.pop();
			$("sim-text").value = text;
			say("Not sent: " + e.message);
		} finally {
			$("sim-send").disabled = false;
			draw();
			$("sim-text").focus();
		}
	}

	async function clear() {
		if (!confirm("Remove every test lead, message and opt-out the simulator made?"))
			return;
		try {
			const c = await call("DELETE", "simulate");
			for (const k of Object.keys(threads)) delete threads[k];
			draw();
			say("Cleared " + c.messages + " test messages and " + c.leads + " test lead" + (c.leads === 1 ? "" : "s"));
		} catch (e) { say(e.message); }
	}

	tabs.simulator = async () => {
		if (!built) build();
		draw();
	};
})();
