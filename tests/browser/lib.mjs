// lib.mjs -- what every browser test here shares: its checks and their
// closing line "TITLE: N passed, N failed", and Debian's Chromium launched
// headless, closed at the end whatever happened (an error thrown by the
// test counts as one failure).
import { chromium } from "playwright-core";

let passed = 0, failed = 0;

export function check(what, ok, detail) {
	if (ok) passed++;
	else {
		failed++;
		console.log(`FAIL: ${what}${detail !== undefined && detail !== "" ?
		    ": " + detail : ""}`);
	}
}

// Run body(browser), print the closing line and exit 0, or 1 on a failure.
export async function run(title, body) {
	const browser = await chromium.launch({
		executablePath: "/usr/bin/chromium",
		args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		    "--no-first-run", "--disable-background-networking",
		    "--disable-component-update", "--disable-sync"],
	});
	try {
		await body(browser);
	} catch (e) {
		check("the test ran to its end", false, e.message.split("\n")[0]);
	} finally {
		await browser.close();
	}
	console.log(`${title}: ${passed} passed, ${failed} failed`);
	process.exit(failed ? 1 : 0);
}
