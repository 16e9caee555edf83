// dashboard.test.mjs -- the Dashboard tab in Debian's Chromium, driven by
// playwright-core, run by tests/cli/t730-stats.sh: reached and used by the
// keyboard alone, its figures equal to what the database holds (passed in
// by the caller, counted there with SQL), a labelled chart with a table
// beside it, and a map with one marker per active branch.  With
// SCREENSHOTS=DIR, dashboard.png and map.png go there.  Prints "N passed,
// N failed".
//
//   SINCE=... UNTIL=... EXPECT_...=... node dashboard.test.mjs BASE_URL TOKEN
import { check, run } from "./lib.mjs";

const [base, token] = process.argv.slice(2);
const env = process.env;
const num = (s) => Number(String(s).replace(/[^0-9]/g, ""));

await run("dashboard.test", async (browser) => {
	const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
	const external = [];
	page.on("request", (r) => { if (!r.url().startsWith(base)) external.push(r.url()); });
	const errors = [];
	// The refused range's 422 (and a missing favicon) log as resources
	// that failed; anything else is a fault of the page.
	page.on("console", (m) => { if (m.type() === "error" &&
	    !m.text().startsWith("Failed to load resource")) errors.push(m.text()); });
	page.on("pageerror", (e) => errors.push(String(e)));
	await page.goto(base + "/admin/");

	// Sign in and reach the tab by the keyboard alone.
	await page.getByLabel("Admin token").focus();
	await page.keyboard.type(token);
	await page.keyboard.press("Enter");
	await page.getByRole("heading", { name: "Branches", exact: true }).waitFor();
	const dash = page.getByRole("button", { name: "Dashboard" });
	let reached = false;
	// Back from where the sign-in form was, through the other tabs.
	for (let i = 0; i < 60 && !reached; i++) {
		await page.keyboard.press("Shift+Tab");
		reached = await dash.evaluate((b) => b === document.activeElement);
	}
	check("the Dashboard tab reached by the keyboard", reached);
	await page.keyboard.press("Enter");
	await page.getByRole("heading", { name: "Dashboard", exact: true }).waitFor();
	await page.locator("#d-total").waitFor();
	check("the last 30 days first", await page.getByRole("button", { name: "Last 30 days" })
	    .getAttribute("aria-pressed") === "true");

	// The range asked for, through the labelled fields and the keyboard.
	await page.getByLabel("From", { exact: true }).fill(env.SINCE);
	await page.getByLabel("To", { exact: true }).fill(env.UNTIL);
	await page.getByLabel("Campaign", { exact: true }).focus();
	await page.keyboard.press("Enter");
	await page.locator("#d-range").filter({ hasText: env.SINCE }).waitFor();
	check("the range shown", (await page.locator("#d-range").textContent()) ===
	    `${env.SINCE} to ${env.UNTIL}`, await page.locator("#d-range").textContent());

	// The figures, against the database.
	check("leads", num(await page.locator("#d-total").textContent()) === Number(env.EXPECT_TOTAL),
	    await page.locator("#d-total").textContent());
	check("fell through", num(await page.locator("#d-fell").textContent()) === Number(env.EXPECT_FELL),
	    await page.locator("#d-fell").textContent());
	check("dead letters", num(await page.locator("#d-dead").textContent()) === Number(env.EXPECT_DEAD),
	    await page.locator("#d-dead").textContent());
	const southwark = page.locator("#d-branch-rows tr").filter({ has: page.getByRole("rowheader",
	    { name: "Southwark", exact: true }) });
	check("Southwark's leads", num(await southwark.locator("td").first().textContent()) ===
	    Number(env.EXPECT_SOUTHWARK), await southwark.locator("td").first().textContent());
	const days = await page.locator("#d-day-rows tr td:nth-child(2)").allTextContents();
	check("per day adds up", days.reduce((a, d) => a + num(d), 0) === Number(env.EXPECT_TOTAL),
	    days.join(","));
	check("a day a bar", await page.locator("#d-chart rect.bar").count() === days.length);

	// Fall-throughs highlighted, in words; the unserved district on top.
	const fell = await page.locator("#d-kind-rows tr.fallthrough th").allTextContents();
	check("fall-throughs highlighted", fell.includes("Regional organiser") &&
	    fell.includes("National contact") && fell.length === 2, fell.join(","));
	check("the fall-through said in words", (await page.locator("#d-kind-rows tr.fallthrough")
	    .first().textContent()).includes("needs a branch"));
	check("the most unserved district first", (await page.locator("#d-unserved-rows th")
	    .first().textContent()) === env.EXPECT_TOP_UNSERVED);

	// The drawings are labelled images, with their words beside them.
	for (const id of ["d-chart", "d-map"]) {
		const svg = page.locator("#" + id);
		check(id + " is an image", (await svg.getAttribute("role")) === "img");
		const name = await svg.evaluate((e) => e.getAttribute("aria-labelledby").split(" ")
		    .map((i) => document.getElementById(i).textContent).join(" "));
		check(id + " has a name and a description", name.length > 40, name);
	}
	check("the chart's description counts the leads", (await page.locator("#d-chart-desc")
	    .textContent()).includes(Number(env.EXPECT_TOTAL).toLocaleString("en-GB") + " leads"));

	// The map: one marker per active branch, dots tracing the country,
	// districts shaded (never points of leads).
	check("one marker per active branch", await page.locator("#d-map .branch-marker").count() ===
	    Number(env.EXPECT_ACTIVE), String(await page.locator("#d-map .branch-marker").count()));
	check("a reach circle per marker", await page.locator("#d-map .reach circle").count() ===
	    Number(env.EXPECT_ACTIVE));
	check("the centroids drawn", await page.locator("#d-map .centroids circle").count() > 2000);
	check("the branches listed in words", await page.locator("#d-map-branches li").count() ===
	    Number(env.EXPECT_ACTIVE));

	// Every control has a name.
	const unnamed = await page.locator("#dashboard").evaluate((s) =>
	    [...s.querySelectorAll("button, input, select, summary")].filter((e) => {
		    const l = e.labels && e.labels.length ? e.labels[0].textContent : "";
		    return !(l || e.textContent.trim() || e.getAttribute("aria-label"));
	    }).map((e) => e.outerHTML));
	check("every control named", unnamed.length === 0, unnamed.join(" "));

	if (env.SCREENSHOTS) {
		await page.locator("#dashboard").screenshot({ path: env.SCREENSHOTS + "/dashboard.png" });
		await page.locator("#d-map").screenshot({ path: env.SCREENSHOTS + "/map.png" });
	}

	// 90 days by the keyboard: the button, then Enter.
	await page.getByRole("button", { name: "Last 90 days" }).focus();
	await page.keyboard.press("Enter");
	await page.locator("#d-day-rows tr:nth-child(90)").waitFor({ state: "attached" });
	check("90 days", await page.locator("#d-day-rows tr").count() === 90);
	check("90 days pressed", await page.getByRole("button", { name: "Last 90 days" })
	    .getAttribute("aria-pressed") === "true");

	// A bad range is refused and said.
	await page.getByLabel("From", { exact: true }).fill("2025-03-31");
	await page.getByLabel("To", { exact: true }).fill("2025-03-01");
	await page.getByRole("button", { name: "Show" }).click();
	await page.getByText("(since)").waitFor();
	check("a bad range named", true);

	check("nothing fetched from elsewhere", external.length === 0, external.join(" "));
	check("no errors in the page", errors.length === 0, errors.join(" | "));
});
