// simulator.test.mjs -- the admin page's Simulator tab in Debian's
// Chromium, driven by playwright-core, on a phone-width viewport: every
// new control has a label and is reached by the keyboard alone; a
// conversation over two texts (a name, then the postcode) ends in a reply
// naming the branch; a UCS-2 reply names the characters that forced it;
// and the test data is cleared.  With SCREENSHOTS=DIR, the panel is
// saved as DIR/simulator.png.  Prints "N passed, N failed".
//
//   node simulator.test.mjs BASE_URL TOKEN
import { check, run } from "./lib.mjs";

const [base, token] = process.argv.slice(2);

await run("simulator page", async (browser) => {
	const width = 390;
	const page = await browser.newPage({ viewport: { width, height: 844 } });
	page.on("dialog", (d) => d.accept());
	const errors = [];
	page.on("console", (m) => {
		if (m.type() === "error" && !m.text().startsWith("Failed to load resource"))
			errors.push(m.text());
	});
	// Every file the page loads is there (the browser's own favicon.ico
	// guess aside).
	page.on("response", (r) => {
		if (r.status() >= 400 && !r.url().endsWith("/favicon.ico"))
			errors.push(r.status() + " " + r.url());
	});
	await page.goto(base + "/admin/");
	await page.getByLabel("Admin token").fill(token);
	await page.getByRole("button", { name: "Sign in" }).click();
	await page.getByRole("heading", { name: "Branches", exact: true }).waitFor();

	await page.getByRole("button", { name: "Simulator" }).click();
	await page.getByRole("heading", { name: "Simulator" }).waitFor();
	check("other tabs hidden", !(await page.locator("#branches").isVisible()));

	// Every control found by its label or its name.
	const controls = {
		"sim-from": page.getByLabel("Test number"),
		"sim-text": page.getByLabel("Message"),
		"sim-notify": page.getByLabel(/Notify as well/),
		"sim-send": page.getByRole("button", { name: "Send" }),
		"sim-clear": page.getByRole("button", { name: "Clear test data" }),
	};
	for (const [id, loc] of Object.entries(controls))
		check(`${id} labelled`, (await loc.count()) === 1 &&
		    (await loc.getAttribute("id")) === id);
	check("numbers in the drama range", (await page.locator("#sim-from option")
	    .allTextContents()).every((n) => /^\+447700900\d{3}$/.test(n)));

	// The keyboard alone reaches each of them, in order, from the tab.
	await page.getByRole("button", { name: "Simulator" }).focus();
	const reached = [];
	for (let i = 0; i < 12; i++) {
		await page.keyboard.press("Tab");
		reached.push(await page.evaluate(() => document.activeElement.id));
	}
	const order = Object.keys(controls).map((id) => reached.indexOf(id));
	check("keyboard reaches every control", order.every((i) => i >= 0), reached.join(","));
	check("in reading order", order.every((v, i) => i === 0 || v > order[i - 1]),
	    reached.join(","));

	// A conversation, typed and sent by the keyboard: a name, then the
	// postcode it is asked for.
	await page.getByLabel("Test number").selectOption("+447700900905");
	const text = page.getByLabel("Message");
	await text.fill("Jane Smith");
	await text.press("Enter");
	const outs = page.locator("#sim-thread .sim-out");
	await outs.nth(0).waitFor();
	check("asked for the postcode", (await outs.nth(0).locator(".sim-bubble").textContent())
	    .includes("postcode"));
	check("the parse shown", (await outs.nth(0).locator("dl").textContent())
	    .includes("name Jane Smith"));
	await text.fill("SE1 7PB");
	await text.press("Enter");
	await outs.nth(1).waitFor();
	const second = await outs.nth(1).textContent();
	check("the reply names the branch", second.includes("Southwark"), second);
	check("the match and its reason", second.includes("coverage: Southwark") &&
	    second.includes("in the coverage of Southwark"), second);
	check("the geocode level", /Geocode(unit|sector|district)/.test(second), second);
	check("the segments", /Segments\d+ × GSM-7/.test(second), second);
	check("focus back in the message", await page.evaluate(() =>
	    document.activeElement.id === "sim-text"));

	// A reply that goes as UCS-2 says which characters made it so.
	await text.fill("Zoë Brown SE1 7PB");
	await page.getByRole("button", { name: "Send" }).click();
	await outs.nth(2).waitFor();
	const third = await outs.nth(2).textContent();
	check("UCS-2 shown", third.includes("UCS-2") && third.includes("“ë” U+00EB"), third);
	check("four bubbles in the thread", (await page.locator("#sim-thread li").count()) === 6);

	// Another number has its own thread.
	await page.getByLabel("Test number").selectOption("+447700900906");
	check("a new number, an empty thread", (await page.locator("#sim-thread li").count()) === 0);
	await page.getByLabel("Test number").selectOption("+447700900905");
	check("the first thread kept", (await page.locator("#sim-thread li").count()) === 6);

	check("fits a phone's width", await page.evaluate((w) =>
	    document.documentElement.scrollWidth <= w, width));
	if (process.env.SCREENSHOTS)
		await page.locator("#simulator").screenshot({
			path: process.env.SCREENSHOTS + "/simulator.png" });

	await page.getByRole("button", { name: "Clear test data" }).click();
	await page.getByText(/^Cleared 3 test messages and 1 test leads?$/).waitFor();
	check("cleared", (await page.locator("#sim-thread li").count()) === 0);
	check("no console errors (CSP included)", errors.length === 0, errors.join("; "));
});
