// admin.test.mjs -- the admin page in Debian's Chromium, driven by
// playwright-core: sign in, add a branch in the page, text a postcode next
// to it through the provider's webhook, see that branch in the reply, and
// find the new lead on the page.  Prints "N passed, N failed".
//
//   node admin.test.mjs BASE_URL TOKEN
import { readFileSync } from "node:fs";
import { check, run } from "./lib.mjs";

const [base, token] = process.argv.slice(2);

await run("admin page", async (browser) => {
	const page = await browser.newPage({ viewport: { width: 390, height: 844 },
	    acceptDownloads: true });
	page.on("dialog", (d) => d.accept());
	await page.goto(base + "/admin/");
	check("title", (await page.title()) === "Branches and leads");

	// A wrong token is refused, the right one lets us in.
	await page.getByLabel("Admin token").fill("wrong-token");
	await page.getByRole("button", { name: "Sign in" }).click();
	await page.getByText("Sign-in failed").waitFor();
	check("wrong token refused", true);
	await page.getByLabel("Admin token").fill(token);
	await page.getByRole("button", { name: "Sign in" }).click();
	await page.getByRole("heading", { name: "Branches", exact: true }).waitFor();
	await page.getByRole("cell", { name: "Southwark", exact: true }).first().waitFor();
	check("signed in, branches listed", true);

	// Add a branch by the keyboard-usable form.
	await page.getByLabel("Name", { exact: true }).fill("Penzance");
	await page.getByLabel("Latitude").fill("50.1188");
	await page.getByLabel("Longitude").fill("-5.5372");
	await page.getByLabel("Meets").fill("Thursdays 7pm, the Guildhall");
	await page.getByLabel("Contact", { exact: true }).fill("Morwenna");
	await page.getByLabel("Contact phone").fill("07700 900990");
	await page.getByLabel("Region", { exact: true }).selectOption("South West");
	await page.getByLabel(/Coverage/).fill("TR18");
	await page.getByRole("button", { name: "Save branch" }).click();
	await page.getByText("Saved Penzance").waitFor();
	await page.getByRole("cell", { name: "Penzance", exact: true }).first().waitFor();
	check("branch listed", true);

	// A bad field is named, and nothing is saved.
	await page.getByLabel("Name", { exact: true }).fill("Nowhere");
	await page.getByLabel("Postcode").fill("QQ1 1AA");
	await page.getByRole("button", { name: "Save branch" }).click();
	await page.getByText("Not saved").waitFor();
	check("bad postcode named", (await page.locator("#status").textContent()).includes("(postcode)"));
	await page.getByRole("button", { name: "Clear" }).click();

	// Text a postcode next to it through the provider's webhook.
	const r = await fetch(base + "/webhooks/fk", {
		method: "POST",
		headers: { "Content-Type": "application/x-www-form-urlencoded" },
		body: "from=%2B447700900991&text=Sam+Treloar+TR18+4AA&id=browser-1",
	});
	check("webhook accepted", r.status === 200, String(r.status));
	const out = await (await fetch(base + "/admin/api/outbox", {
		headers: { Authorization: "Bearer " + token } })).json();
	const reply = out.find((o) => o.key === "fk:browser-1:reply");
	check("the reply names the new branch", reply && reply.body.includes("Penzance"),
	    reply ? reply.body : "no reply queued");

	// The lead shows on the page.
	await page.getByRole("button", { name: "Leads" }).click();
	await page.getByRole("cell", { name: "Sam Treloar" }).waitFor();
	check("lead on the page", await page.getByRole("cell", { name: "+447700900991" }).isVisible());

	// Export CSV: the server's file, every cell a spreadsheet would run
	// written as text.
	await fetch(base + "/webhooks/fk", {
		method: "POST",
		headers: { "Content-Type": "application/x-www-form-urlencoded" },
		body: "from=%2B447700900992&text=%3DHYPERLINK(%22http%3A%2F%2Fx.invalid%22)+TR18+4AA&id=browser-2",
	});
	const [dl] = await Promise.all([page.waitForEvent("download"),
	    page.locator("#export").click()]);
	const csv = readFileSync(await dl.path(), "utf8");
	check("export has the leads", csv.startsWith("id,phone,name,") && csv.includes("Sam Treloar"),
	    csv.slice(0, 80));
	check("export neutralises formulas", csv.includes('"\'=HYPERLINK(') &&
	    !/(^|,)"?[=+@-]/m.test(csv), csv);
	await page.screenshot({ path: process.env.SCREENSHOT || "/dev/null" }).catch(() => {});
});
