"""Browser tests: real user journeys through Chromium, driven by Playwright."""
