// templates.test.mjs -- the Replies tab in Debian's Chromium, driven by
// playwright-core: edit a reply template in the page, text the gateway
// through the provider's webhook and see the new wording in the real
// reply; the live segment counter for a GSM-7, an extension-character and
// a UCS-2 text, against what the server's preview counts.  With
// SCREENSHOTS=DIR, the editor is saved as DIR/templates.png.  Prints
// "N passed, N failed".
//
//   node templates.test.mjs BASE_URL ADMIN_TOKEN
import { check, run } from "./lib.mjs";

const [base, token] = process.argv.slice(2);

async function webhook(id, words) {
	const r = await fetch(base + "/webhooks/fk", {
		method: "POST",
		headers: { "Content-Type": "application/x-www-form-urlencoded" },
		body: "from=%2B447700900742&text=" + encodeURIComponent(words) + "&id=" + id,
	});
	check("webhook " + id, r.status === 200, String(r.status));
	const out = await (await fetch(base + "/admin/api/outbox", {
		headers: { Authorization: "Bearer " + token } })).json();
	const reply = out.find((o) => o.key === "fk:" + id + ":reply");
	return reply ? reply.body : "(no reply queued)";
}

// The texts typed, and what the counter must say once the example data
// (Jane Smith, Birmingham: the first branch) fills them.
const cases = [
	{ what: "GSM-7", text: "Hi {name}, see you at {branch}.",
	  encoding: "GSM-7", units: 37, segments: 1 },
	// € ^ ~ are extension characters: two septets each.
	{ what: "extension characters", text: "Hi {name}: \u20ac5 ~ {branch}^",
	  encoding: "GSM-7", units: 34, segments: 1 },
	// Curly quotes become plain ones, so only ŵ makes it UCS-2.
	{ what: "UCS-2", text: "Croeso i\u2019r \u0175yl, {name}!",
	  encoding: "UCS-2", units: 27, segments: 1, ucs2: "\u0175" },
	{ what: "two GSM-7 parts", text: "{name} " + "x".repeat(150),
	  encoding: "GSM-7", units: 161, segments: 2 },
	{ what: "two UCS-2 parts", text: "\u0175".repeat(71),
	  encoding: "UCS-2", units: 71, segments: 2 },
];

await run("templates page", async (browser) => {
	const page = await browser.newPage({ viewport: { width: 1000, height: 1100 } });
	page.on("dialog", (d) => d.accept());
	await page.goto(base + "/admin/");
	await page.getByLabel("Admin token").fill(token);
	await page.getByRole("button", { name: "Sign in" }).click();
	await page.getByRole("heading", { name: "Branches", exact: true }).waitFor();

	await page.getByRole("button", { name: "Replies" }).click();
	await page.getByRole("heading", { name: "Replies", exact: true }).waitFor();
	await page.getByRole("cell", { name: "unknown_postcode", exact: true }).waitFor();
	check("templates listed", await page.locator("#template-rows tr").count() === 13);
	await page.getByRole("button", { name: "Edit the branch reply" }).click();
	const box = page.getByLabel("Wording");
	await box.waitFor();
	check("editor focused", await box.evaluate((e) => e === document.activeElement));

	// The live counter, worked out in the page, and the server's count.
	const count = page.locator("#t-count"), panel = page.locator("#t-preview");
	for (const c of cases) {
		await box.fill(c.text);
		const got = await count.evaluate((e) => ({ ...e.dataset }));
		check(c.what + ": counter", got.encoding === c.encoding &&
		    Number(got.units) === c.units && Number(got.segments) === c.segments,
		    JSON.stringify(got));
		await page.waitForFunction((t) => document.getElementById("t-preview")
		    .dataset.text === t, c.text);
		const server = await panel.evaluate((e) => ({ ...e.dataset }));
		check(c.what + ": the page counts as the server does",
		    server.encoding === got.encoding && server.units === got.units &&
		    server.segments === got.segments, JSON.stringify(server));
		const notes = await page.locator("#t-notes").textContent();
		if (c.ucs2)
			check(c.what + ": the character named", notes.includes("\u201c" + c.ucs2 + "\u201d") &&
			    notes.includes("\u0175 and \u0177 are not GSM-7"), notes);
		else if (c.encoding === "GSM-7")
			check(c.what + ": nothing named", notes === "", notes);
	}

	// An unknown field is named in the page, and by the server on save.
	await box.fill("Hi {nmae}");
	check("unknown field named as you type",
	    (await page.locator("#t-notes").textContent()).includes("{nmae}"));
	await page.getByRole("button", { name: "Save reply" }).click();
	await page.getByText("Not saved").waitFor();
	check("save refused, field named", (await page.locator("#status").textContent())
	    .includes("{nmae}"));

	// From the keyboard: the wording, then Save.
	await box.focus();
	await page.keyboard.press("Tab");
	check("Save reachable by Tab", await page.evaluate(() =>
	    document.activeElement.textContent) === "Save reply");

	if (process.env.SCREENSHOTS) {
		await box.fill("Croeso[ {name}]! Your nearest branch is {branch}[ ({distance})] " +
		    "\u2013 we\u2019d love to see you at the \u0175yl.[ {meets}.]");
		await page.waitForFunction(() => document.getElementById("t-preview").dataset.text ===
		    document.getElementById("t-text").value);
		await page.locator("#template-form").screenshot({ path: process.env.SCREENSHOTS +
		    "/templates.png" });
	}

	// Save a new wording: the next real reply has it.
	await box.fill("Shwmae {name}! Your branch: {branch} \u2013 see you there.");
	await page.waitForFunction(() => document.getElementById("t-preview").dataset.text ===
	    document.getElementById("t-text").value);
	await page.keyboard.press("Tab");
	await page.keyboard.press("Enter");
	await page.getByText("Saved the branch reply").waitFor();
	check("listed as edited", await page.locator("#template-rows tr", { hasText: "Shwmae" })
	    .getByRole("cell", { name: "edited" }).isVisible());
	const reply = await webhook("page-1", "Sam Jones SE1 7PB");
	check("the next reply is worded so", reply ===
	    "Shwmae Sam Jones! Your branch: Southwark - see you there.", reply);

	// Reset: the default wording again, in the page and in the reply.
	await page.getByRole("button", { name: "Reset to default" }).click();
	await page.getByText("back to its default").waitFor();
	check("editor shows the default", (await box.inputValue()).startsWith("Hi[ {name}]!"));
	const again = await webhook("page-2", "Sam Jones SE1 7PB");
	check("the reply is the default again", again.startsWith(
	    "Hi Sam Jones! Your nearest branch is Southwark"), again);
});
